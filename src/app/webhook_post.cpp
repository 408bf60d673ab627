#include "app/webhook_post.h"

#include <arpa/inet.h>

#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "core/curl_handles.h"

namespace docmill {
namespace {

// A receiver's answer is read only for its status; the body is dropped past this much.
constexpr size_t kMaxAnswerBytes = 64u << 10;

using curl::append;
using curl::Easy;
using curl::Slist;

size_t drop_body(char*, size_t size, size_t count, void* user) {
  auto* seen = static_cast<size_t*>(user);
  *seen += size * count;
  return *seen > kMaxAnswerBytes ? 0 : size * count;
}

// libcurl calls this at least once a second during a transfer; non-zero aborts it.
int check_stop(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<std::stop_token*>(user)->stop_requested() ? 1 : 0;
}

bool is_literal_address(const std::string& host) {
  unsigned char buf[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

}  // namespace

Result<long> post_webhook(const WebhookPost& post, std::stop_token stop) {
  if (stop.stop_requested()) return fail(ErrorCode::kCancelled, "stopped before the request");
  Easy easy(curl_easy_init());
  if (!easy) return fail(ErrorCode::kInternal, "libcurl could not start a request");
  CURL* e = easy.get();

  Slist headers;
  for (const auto& h : post.headers) append(headers, h);
  append(headers, "Expect:");  // no "100 Continue" round trip

  // The name resolves to the addresses check_webhook_target saw, and only to them: a second
  // lookup by libcurl could answer differently (DNS rebinding onto a private address).
  Slist pinned;
  if (!is_literal_address(post.target.url.host) && !post.target.addresses.empty()) {
    std::string list;
    for (const auto& a : post.target.addresses) {
      if (!list.empty()) list += ',';
      list += a.find(':') != std::string::npos ? fmt::format("[{}]", a) : a;
    }
    append(pinned, fmt::format("{}:{}:{}", post.target.url.host, post.target.url.port, list));
  }

  size_t answer_bytes = 0;
  const long timeout_ms = std::max<long>(1, static_cast<long>(post.timeout.count()));
  curl_easy_setopt(e, CURLOPT_URL, post.url.c_str());
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_PROXY, "");  // not through a proxy from the environment
  if (pinned) curl_easy_setopt(e, CURLOPT_RESOLVE, pinned.get());
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(e, CURLOPT_USERAGENT, "docmill");
  curl_easy_setopt(e, CURLOPT_POST, 1L);
  curl_easy_setopt(e, CURLOPT_POSTFIELDS, post.body.data());
  curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post.body.size()));
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, drop_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &answer_bytes);
  curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, check_stop);
  curl_easy_setopt(e, CURLOPT_XFERINFODATA, &stop);

  const CURLcode rc = curl_easy_perform(e);
  long status = 0;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
  // An answer larger than we read still has its status: that is all we wanted.
  if (rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && status != 0)) return status;
  const std::string says = curl_easy_strerror(rc);
  switch (rc) {
    case CURLE_ABORTED_BY_CALLBACK:
      return fail(ErrorCode::kCancelled, "request aborted: stop was requested");
    case CURLE_OPERATION_TIMEDOUT:
      return fail(ErrorCode::kTimedOut,
                  fmt::format("no answer within {} s", static_cast<double>(timeout_ms) / 1000.0));
    default:
      return fail(ErrorCode::kUnavailable, fmt::format("no answer: {}", says));
  }
}

}  // namespace docmill
