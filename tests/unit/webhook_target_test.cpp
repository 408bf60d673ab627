#include "core/webhook_target.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace docmill {
namespace {

// A resolver from a table: names not in it do not resolve.
HostResolver table(std::map<std::string, std::vector<std::string>> names) {
  return [names = std::move(names)](const std::string& host) -> Result<std::vector<std::string>> {
    const auto it = names.find(host);
    if (it == names.end()) return fail(ErrorCode::kUnavailable, "cannot resolve " + host);
    return it->second;
  };
}

// Literal addresses resolve to themselves, as getaddrinfo does.
const HostResolver kResolver = table({
    {"hooks.example.com", {"93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"}},
    {"sneaky.example.com", {"93.184.216.34", "10.0.0.5"}},
    {"localhost", {"127.0.0.1", "::1"}},
    {"127.0.0.1", {"127.0.0.1"}},
    {"::1", {"::1"}},
    {"8.8.8.8", {"8.8.8.8"}},
    {"169.254.169.254", {"169.254.169.254"}},
    {"receiver", {"172.17.0.3"}},
});

TEST(WebhookUrl, SplitsSchemeHostAndPort) {
  auto a = parse_webhook_url("https://Hooks.Example.com/docmill?token=1");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->scheme, "https");
  EXPECT_EQ(a->host, "hooks.example.com");
  EXPECT_EQ(a->port, 443);
  auto b = parse_webhook_url("HTTP://127.0.0.1:8123");
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->scheme, "http");
  EXPECT_EQ(b->host, "127.0.0.1");
  EXPECT_EQ(b->port, 8123);
  auto c = parse_webhook_url("http://[::1]:9000/hook");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->host, "::1");
  EXPECT_EQ(c->port, 9000);
}

TEST(WebhookUrl, RefusesOtherSchemesAndMalformedUrls) {
  const std::pair<const char*, const char*> cases[] = {
      {"ftp://hooks.example.com/x", "scheme 'ftp'"},
      {"file:///etc/passwd", "scheme 'file'"},
      {"gopher://hooks.example.com", "scheme 'gopher'"},
      {"hooks.example.com/x", "http:// or https://"},
      {"http:///path", "no host"},
      {"http://user:pw@hooks.example.com/", "user name or password"},
      {"http://hooks.example.com:0/", "port '0'"},
      {"http://hooks.example.com:70000/", "port '70000'"},
      {"http://hooks.example.com:80x/", "port '80x'"},
      {"http://hooks example.com/", "spaces"},
      {"http://[::1/", "closing ']'"},
      {"http://[not-v6]/", "not an IPv6 address"},
      {"http://hooks%2eexample.com/", "characters a host cannot have"},
  };
  for (const auto& [url, why] : cases) {
    auto r = parse_webhook_url(url);
    ASSERT_FALSE(r) << url;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << url;
    EXPECT_NE(r.error().message.find(why), std::string::npos) << url << ": " << r.error().message;
  }
  EXPECT_FALSE(parse_webhook_url(std::string(3000, 'a')));
}

TEST(WebhookAddress, PrivateLoopbackAndLinkLocalAreNotPublic) {
  for (const char* a : {"127.0.0.1",
                        "127.255.0.9",
                        "10.1.2.3",
                        "172.16.0.1",
                        "172.31.255.255",
                        "192.168.1.1",
                        "169.254.169.254",
                        "0.0.0.0",
                        "100.64.0.1",
                        "224.0.0.1",
                        "255.255.255.255",
                        "::",
                        "::1",
                        "fc00::1",
                        "fd12:3456::1",
                        "fe80::1",
                        "ff02::1",
                        "::ffff:127.0.0.1",
                        "::ffff:10.0.0.1",
                        "::ffff:192.168.0.1",
                        "64:ff9b::10.0.0.1",
                        "::127.0.0.1",
                        "[::1]",
                        "not an address"}) {
    EXPECT_TRUE(is_non_public_address(a)) << a;
  }
  for (const char* a : {"8.8.8.8", "93.184.216.34", "172.15.255.255", "172.32.0.1", "192.169.0.1",
                        "100.128.0.1", "2606:2800:220:1:248:1893:25c8:1946", "::ffff:8.8.8.8",
                        "64:ff9b::8.8.8.8", "2001:4860:4860::8888"}) {
    EXPECT_FALSE(is_non_public_address(a)) << a;
  }
}

TEST(WebhookAllowHosts, ParsesACommaSeparatedList) {
  EXPECT_EQ(parse_allow_hosts(" 127.0.0.1, Receiver ,,[::1]"),
            (std::vector<std::string>{"127.0.0.1", "receiver", "::1"}));
  EXPECT_TRUE(parse_allow_hosts("").empty());
  EXPECT_TRUE(parse_allow_hosts(" , ").empty());
}

TEST(WebhookTarget, APublicHostIsAllowedWithItsAddresses) {
  auto t = check_webhook_target("https://hooks.example.com/x", {}, kResolver);
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->addresses.size(), 2u);
  EXPECT_TRUE(check_webhook_target("http://8.8.8.8:8080/", {}, kResolver));
}

TEST(WebhookTarget, PrivateTargetsAreRefusedUnlessAllowed) {
  for (const char* url : {"http://127.0.0.1:8080/hook", "http://localhost/hook", "http://[::1]/",
                          "http://169.254.169.254/latest/meta-data", "http://receiver/",
                          // one private address among public ones is enough
                          "https://sneaky.example.com/"}) {
    auto r = check_webhook_target(url, {}, kResolver);
    ASSERT_FALSE(r) << url;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << url;
    EXPECT_NE(r.error().message.find("DOCMILL_WEBHOOK_ALLOW_HOSTS"), std::string::npos)
        << r.error().message;
  }
  const WebhookPolicy allow{.allow_hosts = parse_allow_hosts("127.0.0.1,receiver,::1")};
  EXPECT_TRUE(check_webhook_target("http://127.0.0.1:8080/hook", allow, kResolver));
  EXPECT_TRUE(check_webhook_target("http://receiver:9000/", allow, kResolver));
  EXPECT_TRUE(check_webhook_target("http://[::1]:9000/", allow, kResolver));
  // Allowed by the name as written: "localhost" is not "127.0.0.1".
  EXPECT_FALSE(check_webhook_target("http://localhost/", allow, kResolver));
}

TEST(WebhookTarget, WithAnAllowListOnlyItsHostsAreAllowed) {
  const WebhookPolicy allow{.allow_hosts = {"receiver"}};
  auto r = check_webhook_target("https://hooks.example.com/", allow, kResolver);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("not in DOCMILL_WEBHOOK_ALLOW_HOSTS"), std::string::npos);
}

TEST(WebhookTarget, ANameThatDoesNotResolveCannotBeChecked) {
  auto r = check_webhook_target("https://nowhere.invalid/", {}, kResolver);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
}

TEST(WebhookTarget, TheSystemResolverSeesLoopback) {
  auto r = check_webhook_target("http://127.0.0.1:1/", {}, system_resolver());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  auto allowed = check_webhook_target("http://127.0.0.1:1/", {.allow_hosts = {"127.0.0.1"}},
                                      system_resolver());
  ASSERT_TRUE(allowed) << allowed.error().message;
  EXPECT_EQ(allowed->addresses, std::vector<std::string>{"127.0.0.1"});
}

}  // namespace
}  // namespace docmill
