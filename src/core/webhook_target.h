#pragma once
// Where a webhook may be sent: an http(s) URL whose host is allowed. A job's `callback_url` is
// checked at upload and again before every delivery (a name's addresses can change), and the
// delivery then connects to the addresses that were checked, never to a second lookup.
//
// The rule: with DOCMILL_WEBHOOK_ALLOW_HOSTS set, the URL's host must be one of its entries
// (names or literal addresses, compared as written, case-insensitively), and such a host may be
// private. Without it, any host whose addresses are all public is allowed. A host with one
// private, loopback, link-local, unique-local or otherwise non-public address is refused unless
// the allow list names it: a webhook must not become a way to reach the server's own network.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace docmill {

struct WebhookUrl {
  std::string scheme;  // "http" or "https"
  std::string host;    // lower case; an IPv6 literal without its brackets
  int port = 0;        // the URL's port, or the scheme's (80, 443)
};

// Splits an http:// or https:// URL. kInvalidArgument saying what is wrong: another scheme, no
// host, a user name or password in it, a bad port, spaces or control characters.
Result<WebhookUrl> parse_webhook_url(std::string_view url);

// True for an address a webhook must not reach unless allowed by name: IPv4 0/8, 10/8,
// 100.64/10, 127/8, 169.254/16, 172.16/12, 192.0.0/24, 192.168/16, 198.18/15, 224/3; IPv6 ::,
// ::1, fc00::/7, fe80::/10, fec0::/10, ff00::/8, and the IPv4 ones mapped (::ffff:a.b.c.d),
// embedded (::a.b.c.d) or translated (64:ff9b::a.b.c.d). Text that is not an address: true.
bool is_non_public_address(std::string_view numeric_address);

// The allow list from DOCMILL_WEBHOOK_ALLOW_HOSTS: comma-separated, trimmed, lower case,
// brackets taken off IPv6 literals; empty entries dropped.
std::vector<std::string> parse_allow_hosts(std::string_view list);

struct WebhookPolicy {
  std::vector<std::string> allow_hosts;  // as parse_allow_hosts returns them
};

// A host's addresses as numeric text; getaddrinfo in production, a table in tests.
using HostResolver = std::function<Result<std::vector<std::string>>(const std::string& host)>;
HostResolver system_resolver();

struct WebhookTarget {
  WebhookUrl url;
  std::vector<std::string> addresses;  // every address of the host, each one checked
};

// Checks `url` against `policy` and returns where to connect. kInvalidArgument when the URL or
// its host is refused (the message says why and names DOCMILL_WEBHOOK_ALLOW_HOSTS where it
// could help); kUnavailable when the host's name cannot be resolved now.
Result<WebhookTarget> check_webhook_target(std::string_view url, const WebhookPolicy& policy,
                                           const HostResolver& resolve);

}  // namespace docmill
