#pragma once
// The job and page-unit model shared by the store, the workers and the API.
#include <optional>
#include <string>
#include <string_view>

#include "core/read_options.h"

namespace docmill {

enum class JobStatus { kPending, kProcessing, kCompleted, kFailed };

std::string_view to_string(JobStatus s);
std::optional<JobStatus> parse_job_status(std::string_view s);

// Which jobs a worker serves first: a higher priority before a lower, fair share within one.
// A low job that has waited longer than DOCMILL_STARVATION_SECONDS is served as normal.
enum class Priority { kLow = 0, kNormal = 1, kHigh = 2 };
std::string_view to_string(Priority p);
std::optional<Priority> parse_priority(std::string_view s);

// How a job's pages are read; chosen at upload, stored with the job.
using JobOptions = ReadOptions;

// The seed's columns, plus the options the job runs with.
struct Job {
  std::string job_id;
  JobStatus status = JobStatus::kPending;
  std::string filename;
  int total_pages = 0;
  int processed_pages = 0;
  std::string created_at;  // ISO 8601 UTC
  std::string updated_at;
  std::optional<std::string> error_message;
  JobOptions options{};
  Priority priority = Priority::kNormal;
  // Where to POST the job's status JSON once it is completed or failed (form field
  // callback_url, checked at upload); unset: no webhook.
  std::optional<std::string> callback_url{};
};

// Where an unfinished job stands in the queue, for /status and /tasks. "Ahead" are the
// unfinished jobs the claim serves before it: a higher priority, or the same and older.
struct QueueStanding {
  std::optional<int> queue_position;  // pending jobs ahead; nullopt once it started (or ended)
  int pages_ahead = 0;                // pages not yet done of the jobs ahead
  int running_alongside = 0;          // jobs of its priority or higher processing now
  // This server's recent pace, all workers together (pages done in the last ten minutes);
  // nullopt until there is one.
  std::optional<double> seconds_per_page;
  // The pace of this job's own pages: the server's pace weighed by what the read methods of
  // its done pages (before any is done, its engine's method) cost against the average page of
  // the last ten minutes; a scan among born-digital files is not a born-digital page. nullopt
  // where nothing says (the server's pace is the best guess).
  std::optional<double> own_seconds_per_page{};
};

// What a finished page cost, for the pace of /status: how it was read (to_string(ReadMethod):
// "text_layer", "ocr", "vlm", ...) and how long its worker took on it.
struct PageCost {
  std::string method;
  double millis = 0;
};

// A unit of work: one page of a job, or (page_index == kAssembleUnit) the assembly of a job's
// outputs once all its pages are done. Workers hold a unit under a lease; a unit whose lease
// ran out (its worker died) can be claimed again.
inline constexpr int kAssembleUnit = -1;

struct WorkClaim {
  std::string job_id;
  int page_index = 0;  // 0-based page of the PDF, or kAssembleUnit
  int attempt = 1;     // 1 on the first claim; a unit claimed too often is failed, not retried
  JobOptions options{};
  // Why the previous attempt at this unit ended without a result, when its worker process died
  // on it (recorded by JobStore::abandon_unit): a unit is given one more try after a crash.
  std::optional<std::string> previous_failure{};
  bool is_assembly() const { return page_index == kAssembleUnit; }
};

// A webhook delivery: one per finished job that has a callback_url (table webhook_deliveries).
enum class DeliveryState { kPending, kDelivered, kGivenUp };
std::string_view to_string(DeliveryState s);
std::optional<DeliveryState> parse_delivery_state(std::string_view s);

struct WebhookDelivery {
  long long id = 0;  // sent as X-Docmill-Delivery; the same on every attempt
  std::string job_id;
  std::string url;
  // The body sent, fixed at the first attempt so retries send the same bytes; unset before.
  std::optional<std::string> body;
  int attempts = 0;               // attempts made so far
  long long next_attempt_ms = 0;  // epoch ms; due when <= now (pending only)
  DeliveryState state = DeliveryState::kPending;
  std::optional<std::string> last_error;
};

// The outcome of one delivery attempt, for JobStore::record_delivery_attempt.
struct DeliveryAttempt {
  std::string body{};                  // what was sent (kept when the row has none yet)
  std::optional<std::string> error{};  // unset: delivered (a 2xx answer)
  // With an error: when to try again; unset: no more attempts (given up).
  std::optional<long long> retry_at_ms{};
};

}  // namespace docmill
