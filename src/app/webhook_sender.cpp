#include "app/webhook_sender.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "api/http_errors.h"
#include "api/job_json.h"
#include "app/webhook_post.h"
#include "core/clock.h"
#include "core/hmac_sha256.h"
#include "core/stop_wait.h"

namespace docmill {
namespace {

// The thread looks at the store at least this often, besides when it is woken.
constexpr std::chrono::milliseconds kPoll{1000};
// Beyond an attempt's own timeout: resolving the host, signing, recording the attempt.
constexpr std::chrono::milliseconds kHoldMargin{2'000};
constexpr std::chrono::seconds kMaxRetryDelay{3600};

// scheme://host:port of a callback, for logs: its path and query may hold the receiver's token.
std::string shown(const std::string& url) {
  auto parsed = parse_webhook_url(url);
  if (!parsed) return "(unusable URL)";
  const bool v6 = parsed->host.find(':') != std::string::npos;
  return fmt::format("{}://{}{}{}:{}", parsed->scheme, v6 ? "[" : "", parsed->host, v6 ? "]" : "",
                     parsed->port);
}

}  // namespace

std::string webhook_signature(std::string_view secret, std::string_view timestamp,
                              std::string_view body) {
  std::string signed_text;
  signed_text.reserve(timestamp.size() + 1 + body.size());
  signed_text.append(timestamp).append(".").append(body);
  return "sha256=" + hmac_sha256_hex(secret, signed_text);
}

std::chrono::seconds webhook_retry_delay(int attempts_made, std::chrono::seconds base) {
  auto delay = std::max(base, std::chrono::seconds(1));
  for (int i = 1; i < attempts_made && delay < kMaxRetryDelay; ++i) delay *= 2;
  return std::min(delay, kMaxRetryDelay);
}

WebhookSender::WebhookSender(JobStore& store, ChangeSignal* wake, WebhookSettings settings,
                             HostResolver resolve)
    : store_(store), wake_(wake), settings_(std::move(settings)), resolve_(std::move(resolve)) {}

WebhookSender::~WebhookSender() {
  stop();
}

void WebhookSender::start() {
  if (thread_.joinable()) return;
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void WebhookSender::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

void WebhookSender::run(std::stop_token stop) {
  std::uint64_t seen = wake_ != nullptr ? wake_->count() : 0;
  while (!stop.stop_requested()) {
    send_due(stop);
    if (wake_ != nullptr) {
      seen = wake_->wait_past(seen, kPoll, stop);
    } else {
      wait_unless_stopped(stop, kPoll);
    }
  }
}

int WebhookSender::send_due(std::stop_token stop) {
  int attempted = 0;
  // One at a time, each held for as long as its attempt may take: the senders of other API
  // nodes on a shared store leave it to this one meanwhile, and one cut off by a crash or a
  // stop is due again soon after.
  const auto hold =
      std::chrono::duration_cast<std::chrono::milliseconds>(settings_.timeout) + kHoldMargin;
  while (!stop.stop_requested()) {
    auto due = store_.due_deliveries(now_unix_ms(), 1, hold);
    if (!due) {
      spdlog::error("webhooks: {}", due.error().message);
      return attempted;
    }
    if (due->empty()) return attempted;
    // Now delivered, given up or due later; or, unrecorded, held.
    deliver(due->front(), stop);
    ++attempted;
  }
  return attempted;
}

void WebhookSender::deliver(const WebhookDelivery& d, std::stop_token stop) {
  // The body is the job's /status JSON as it stands now that the job has ended (no queue
  // standing: its fields are null), fixed at the first attempt.
  std::string body;
  if (d.body) {
    body = *d.body;
  } else {
    auto job = store_.get_job(d.job_id);
    if (!job) {
      spdlog::error("webhook {} of job {}: {}", d.id, d.job_id, job.error().message);
      return;
    }
    if (!*job) return;  // deleted meanwhile: its delivery went with it
    body = json_text(job_to_json(**job));
  }

  const int attempt = d.attempts + 1;
  std::optional<Error> error;
  // Checked again at each attempt: the name may point elsewhere now than at upload.
  auto target = check_webhook_target(d.url, settings_.policy, resolve_);
  if (!target) {
    error = target.error();
  } else {
    const std::string timestamp =
        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count());
    WebhookPost post{
        .url = d.url,
        .target = std::move(*target),
        .headers = {"Content-Type: application/json", fmt::format("X-Docmill-Delivery: {}", d.id),
                    fmt::format("X-Docmill-Timestamp: {}", timestamp)},
        .body = body,
        .timeout = settings_.timeout};
    if (settings_.secret) {
      post.headers.push_back(fmt::format("X-Docmill-Signature: {}",
                                         webhook_signature(*settings_.secret, timestamp, body)));
    }
    auto status = post_webhook(post, stop);
    if (!status) {
      // Cut off by shutdown: not an attempt of the receiver's; it stays pending as it was.
      if (status.error().code == ErrorCode::kCancelled) return;
      error = status.error();
    } else if (*status < 200 || *status >= 300) {
      error = Error{ErrorCode::kUnavailable, fmt::format("the receiver answered HTTP {}", *status)};
    }
  }

  DeliveryAttempt outcome{.body = body, .error = std::nullopt};
  const std::string where = shown(d.url);
  if (!error) {
    spdlog::info("job {}: webhook {} delivered to {} (attempt {})", d.job_id, d.id, where, attempt);
  } else {
    outcome.error = error->message;
    // A URL the policy refuses now (the allow list changed, or the name moved to a private
    // address) is not a passing failure: it is not tried again.
    const bool refused = error->code == ErrorCode::kInvalidArgument;
    if (!refused && attempt < settings_.max_attempts) {
      const auto delay = webhook_retry_delay(attempt, settings_.retry_base);
      outcome.retry_at_ms =
          now_unix_ms() + std::chrono::duration_cast<std::chrono::milliseconds>(delay).count();
      spdlog::warn("job {}: webhook {} to {} failed (attempt {} of {}): {}; next try in {} s",
                   d.job_id, d.id, where, attempt, settings_.max_attempts, error->message,
                   delay.count());
    } else {
      spdlog::error("job {}: webhook {} to {} given up after {} attempts: {}", d.job_id, d.id,
                    where, attempt, error->message);
    }
  }
  if (auto recorded = store_.record_delivery_attempt(d.id, outcome); !recorded) {
    spdlog::error("webhook {} of job {}: {}", d.id, d.job_id, recorded.error().message);
  }
}

}  // namespace docmill
