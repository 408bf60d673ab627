#pragma once
// Sends the webhooks of finished jobs: a thread that works through the store's due deliveries
// (jobs/job_store.h), woken when a worker reports a unit (a job may have ended) and every
// second besides. Each delivery POSTs the job's /status JSON to its callback_url, signed when
// DOCMILL_WEBHOOK_SECRET is set; a non-2xx answer or none is tried again later, waiting twice
// as long each time, until DOCMILL_WEBHOOK_MAX_ATTEMPTS. Deliveries go one at a time, so a slow
// receiver delays the others by at most the 10 s timeout per attempt.
//
// Headers:  Content-Type: application/json
//           X-Docmill-Delivery: <id, the same on every attempt>
//           X-Docmill-Timestamp: <unix seconds of this attempt>
//           X-Docmill-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>
// The signature covers the timestamp, so a receiver that checks it and refuses old timestamps
// refuses replays.
#include <chrono>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>

#include "core/change_signal.h"
#include "core/curl_handles.h"
#include "core/webhook_settings.h"
#include "jobs/job_store.h"

namespace docmill {

// "sha256=" and the hex HMAC-SHA256 of "<timestamp>.<body>" under `secret`.
std::string webhook_signature(std::string_view secret, std::string_view timestamp,
                              std::string_view body);

// The wait after attempt `attempts_made` (1 after the first) failed: base, 2 base, 4 base, ...,
// at most an hour.
std::chrono::seconds webhook_retry_delay(int attempts_made, std::chrono::seconds base);

class WebhookSender {
 public:
  // `wake` (may be null) is told when a job may have ended.
  WebhookSender(JobStore& store, ChangeSignal* wake, WebhookSettings settings,
                HostResolver resolve = system_resolver());
  ~WebhookSender();
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  void start();
  // Returns once the thread has ended; an attempt in flight is cut off and stays pending
  // (sent again after the restart).
  void stop();

  // Attempts every delivery due now, once each; returns how many. What the thread runs.
  int send_due(std::stop_token stop);

 private:
  void run(std::stop_token stop);
  void deliver(const WebhookDelivery& delivery, std::stop_token stop);

  curl::GlobalInit curl_;  // outlives the thread, which it is declared before
  JobStore& store_;
  ChangeSignal* wake_;
  WebhookSettings settings_;
  HostResolver resolve_;
  std::jthread thread_;
};

}  // namespace docmill
