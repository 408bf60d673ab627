#pragma once
// One webhook POST over libcurl: to the checked addresses only (no second name lookup), no
// redirects followed, no proxy, http and https only, within a time limit, cut short by a stop.
#include <chrono>
#include <stop_token>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/webhook_target.h"

namespace docmill {

struct WebhookPost {
  std::string url;
  WebhookTarget target;              // the URL's host and the addresses it was checked at
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
  std::chrono::milliseconds timeout{10'000};
};

// The receiver's HTTP status (any, 2xx or not); an error when there was no answer:
// kUnavailable (refused, unreachable, dropped), kTimedOut, kCancelled (stop requested).
Result<long> post_webhook(const WebhookPost& post, std::stop_token stop);

}  // namespace docmill
