#include "core/webhook_target.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <memory>

#include <fmt/format.h>

namespace docmill {
namespace {

// Longer than any callback a receiver needs, short enough to keep in a row and a log line.
constexpr size_t kMaxUrlBytes = 2048;

std::string lower(std::string_view s) {
  std::string out(s);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string_view without_brackets(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host.remove_prefix(1);
    host.remove_suffix(1);
  }
  return host;
}

bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

// An IPv4 address (host byte order) inside prefix/bits.
bool in_v4(std::uint32_t a, std::uint32_t prefix, int bits) {
  const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
  return (a & mask) == (prefix & mask);
}

constexpr std::uint32_t v4(int a, int b, int c, int d) {
  return (static_cast<std::uint32_t>(a) << 24) | (static_cast<std::uint32_t>(b) << 16) |
         (static_cast<std::uint32_t>(c) << 8) | static_cast<std::uint32_t>(d);
}

bool non_public_v4(std::uint32_t a) {
  struct Range {
    std::uint32_t prefix;
    int bits;
  };
  constexpr std::array<Range, 10> kRanges{{
      {v4(0, 0, 0, 0), 8},       // "this network", 0.0.0.0
      {v4(10, 0, 0, 0), 8},      // private
      {v4(100, 64, 0, 0), 10},   // carrier-grade NAT
      {v4(127, 0, 0, 0), 8},     // loopback
      {v4(169, 254, 0, 0), 16},  // link-local (cloud metadata services live here)
      {v4(172, 16, 0, 0), 12},   // private
      {v4(192, 0, 0, 0), 24},    // IETF protocol assignments
      {v4(192, 168, 0, 0), 16},  // private
      {v4(198, 18, 0, 0), 15},   // benchmarking
      {v4(224, 0, 0, 0), 3},     // multicast, reserved, broadcast
  }};
  return std::ranges::any_of(kRanges, [a](const Range& r) { return in_v4(a, r.prefix, r.bits); });
}

std::uint32_t v4_at(const unsigned char* bytes) {
  return v4(bytes[0], bytes[1], bytes[2], bytes[3]);
}

bool non_public_v6(const in6_addr& addr) {
  const unsigned char* b = addr.s6_addr;
  const auto zeros = [b](int from, int to) {
    return std::all_of(b + from, b + to, [](unsigned char c) { return c == 0; });
  };
  // ::ffff:a.b.c.d (mapped), 64:ff9b::a.b.c.d (NAT64): the IPv4 address decides.
  if (zeros(0, 10) && b[10] == 0xff && b[11] == 0xff) return non_public_v4(v4_at(b + 12));
  static constexpr unsigned char kNat64[12] = {0x00, 0x64, 0xff, 0x9b};
  if (std::memcmp(b, kNat64, 12) == 0) return non_public_v4(v4_at(b + 12));
  // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d.
  if (zeros(0, 12)) return true;
  if ((b[0] & 0xfe) == 0xfc) return true;                  // fc00::/7 unique local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return true;  // fe80::/10 link-local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return true;  // fec0::/10 site-local
  if (b[0] == 0xff) return true;                           // multicast
  return false;
}

bool allowed_by_name(const std::string& host, const WebhookPolicy& policy) {
  return std::ranges::find(policy.allow_hosts, host) != policy.allow_hosts.end();
}

}  // namespace

Result<WebhookUrl> parse_webhook_url(std::string_view url) {
  const auto bad = [&](std::string_view why) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("'{}' is not usable: {}", url.substr(0, 200), why));
  };
  if (url.size() > kMaxUrlBytes) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("the URL is longer than {} bytes", kMaxUrlBytes));
  }
  if (std::ranges::any_of(url, [](unsigned char c) { return c <= 0x20 || c == 0x7f; })) {
    return bad("it holds spaces or control characters");
  }
  const size_t colon = url.find("://");
  if (colon == std::string_view::npos) return bad("expected an http:// or https:// URL");
  WebhookUrl out;
  out.scheme = lower(url.substr(0, colon));
  if (out.scheme != "http" && out.scheme != "https") {
    return bad(fmt::format("the scheme '{}' is not http or https", out.scheme));
  }
  const std::string_view rest = url.substr(colon + 3);
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos) {
    return bad("a user name or password in the URL is not supported");
  }
  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with('[')) {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("an IPv6 address without its closing ']'");
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (!after.starts_with(':')) return bad("unexpected text after the IPv6 address");
      port = after.substr(1);
    }
    in6_addr probe{};
    if (inet_pton(AF_INET6, std::string(host).c_str(), &probe) != 1) {
      return bad("the text in [] is not an IPv6 address");
    }
  } else {
    if (const size_t c = authority.find(':'); c != std::string_view::npos) {
      host = authority.substr(0, c);
      port = authority.substr(c + 1);
    }
    if (!std::ranges::all_of(host, name_char))
      return bad("the host name has characters a host cannot have");
  }
  if (host.empty()) return bad("it names no host");
  out.host = lower(host);
  out.port = out.scheme == "https" ? 443 : 80;
  if (!port.empty()) {
    int p = 0;
    const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc{} || ptr != port.data() + port.size() || p < 1 || p > 65535) {
      return bad(fmt::format("the port '{}' is not a number from 1 to 65535", port));
    }
    out.port = p;
  }
  return out;
}

bool is_non_public_address(std::string_view numeric_address) {
  const std::string text(without_brackets(numeric_address));
  in_addr a4{};
  if (inet_pton(AF_INET, text.c_str(), &a4) == 1) return non_public_v4(ntohl(a4.s_addr));
  in6_addr a6{};
  if (inet_pton(AF_INET6, text.c_str(), &a6) == 1) return non_public_v6(a6);
  return true;
}

std::vector<std::string> parse_allow_hosts(std::string_view list) {
  std::vector<std::string> hosts;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    const std::string_view entry = trim(list.substr(0, comma));
    if (!entry.empty()) hosts.push_back(lower(without_brackets(entry)));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return hosts;
}

HostResolver system_resolver() {
  return [](const std::string& host) -> Result<std::vector<std::string>> {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &found);
    if (rc != 0) {
      return fail(ErrorCode::kUnavailable,
                  fmt::format("cannot resolve the host '{}': {}", host, gai_strerror(rc)));
    }
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owned(found, freeaddrinfo);
    std::vector<std::string> addresses;
    for (const addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
      char text[INET6_ADDRSTRLEN] = {};
      const void* where = nullptr;
      if (ai->ai_family == AF_INET) {
        where = &reinterpret_cast<const sockaddr_in*>(ai->ai_addr)->sin_addr;
      } else if (ai->ai_family == AF_INET6) {
        where = &reinterpret_cast<const sockaddr_in6*>(ai->ai_addr)->sin6_addr;
      } else {
        continue;
      }
      if (inet_ntop(ai->ai_family, where, text, sizeof text) == nullptr) continue;
      if (std::ranges::find(addresses, text) == addresses.end()) addresses.emplace_back(text);
    }
    if (addresses.empty()) {
      return fail(ErrorCode::kUnavailable,
                  fmt::format("the host '{}' has no IPv4 or IPv6 address", host));
    }
    return addresses;
  };
}

Result<WebhookTarget> check_webhook_target(std::string_view url, const WebhookPolicy& policy,
                                           const HostResolver& resolve) {
  auto parsed = parse_webhook_url(url);
  if (!parsed) return std::unexpected(std::move(parsed.error()));
  const bool named = allowed_by_name(parsed->host, policy);
  if (!policy.allow_hosts.empty() && !named) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("the host '{}' is not in DOCMILL_WEBHOOK_ALLOW_HOSTS", parsed->host));
  }
  auto addresses = resolve(parsed->host);
  if (!addresses) return std::unexpected(std::move(addresses.error()));
  if (!named) {
    for (const auto& address : *addresses) {
      if (is_non_public_address(address)) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("the host '{}' is a private, loopback or link-local address ({}); "
                                "list it in DOCMILL_WEBHOOK_ALLOW_HOSTS to allow it",
                                parsed->host, address));
      }
    }
  }
  return WebhookTarget{.url = std::move(*parsed), .addresses = std::move(*addresses)};
}

}  // namespace docmill
