#pragma once
// The settings of job webhooks (DOCMILL_WEBHOOK_*): who may be called, how deliveries are
// signed, and how often a failed one is tried again.
#include <chrono>
#include <optional>
#include <string>

#include "core/webhook_target.h"

namespace docmill {

struct WebhookSettings {
  // The HMAC-SHA256 key of X-Docmill-Signature; unset: deliveries are sent unsigned.
  std::optional<std::string> secret;
  WebhookPolicy policy;  // DOCMILL_WEBHOOK_ALLOW_HOSTS
  // Attempts in all, the first included; then the delivery is given up.
  int max_attempts = 8;
  // The wait before the first retry; each further retry waits twice as long (at most an hour).
  std::chrono::seconds retry_base{5};
  // One attempt: connecting, sending and the receiver's answer together.
  std::chrono::seconds timeout{10};
};

}  // namespace docmill
