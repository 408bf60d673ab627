#pragma once
// The durable queue of jobs and their page units. Every method is safe to call from any thread.
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "jobs/job.h"

namespace docmill {

// What complete_page() tells the worker that finished a page.
enum class PageOutcome {
  kRecorded,  // counted; other pages of the job are still open
  kLastPage,  // counted, and every page of the job is now done: the assembly unit is open
  kJobGone,   // the job was deleted (or the lease lost) meanwhile: discard the page's work
};

// What GET /metrics reads from the store.
struct StoreCounts {
  std::map<JobStatus, int> jobs;  // every status, 0 when none
  int open_units = 0;             // units waiting for a worker (the queue depth)
};

class JobStore {
 public:
  virtual ~JobStore() = default;

  // Inserts the job (status pending) and one page unit per entry of `page_indices`, plus its
  // assembly unit, in one transaction.
  virtual Status create_job(const Job& job, std::span<const int> page_indices) = 0;

  virtual Result<std::optional<Job>> get_job(std::string_view job_id) = 0;

  // Newest first; only jobs of `status` when given.
  virtual Result<std::vector<Job>> list_jobs(std::optional<JobStatus> status) = 0;

  // Jobs pending or processing (for the queue-length limit).
  virtual Result<int> count_unfinished_jobs() = 0;

  virtual Result<StoreCounts> counts() = 0;

  // Makes a real write (a committed transaction on a table of the store's own) and says
  // whether it went through: what GET /ready checks. A full disk, a read-only file or a lock
  // held too long fail it with the store's message.
  virtual Status check_writable() = 0;

  // Claims the next unit: the job of the highest priority first, among equals the one with the
  // fewest units in flight, then the oldest; its pages in order. A unit
  // is claimable when it is open, or claimed with an expired lease; an assembly unit only when
  // all pages of its job are done. Marks the job processing. A unit whose attempts exceed
  // `max_attempts` is not handed out again: it is completed as failed with a message saying it
  // stopped the worker each time. nullopt when there is nothing to do.
  virtual Result<std::optional<WorkClaim>> claim_next(std::string_view worker_id,
                                                      std::chrono::milliseconds lease,
                                                      int max_attempts) = 0;

  // Extends the lease of a unit this worker holds; false when the unit is no longer ours.
  virtual Result<bool> renew_lease(const WorkClaim& claim, std::string_view worker_id,
                                   std::chrono::milliseconds lease) = 0;

  // Marks a page unit done (processed_pages += 1). `page_error` set means the page could not be
  // processed; it is recorded for the job's error message. `cost` (an empty method: unknown)
  // feeds the per-method pace of queue_standing.
  virtual Result<PageOutcome> complete_page(const WorkClaim& claim, std::string_view worker_id,
                                            std::optional<std::string> page_error,
                                            const PageCost& cost) = 0;

  // The worker holding `claim` died (or was stopped at a limit) without finishing it. With
  // `retry`, the unit is opened again at once, remembering `cause` (the next claim carries it
  // as previous_failure); without, a page unit is completed as failed with `cause` as its
  // error, and an assembly unit fails its job with `cause`. False when the unit was no longer
  // this worker's (the job was deleted, or the lease had been taken over).
  virtual Result<bool> abandon_unit(const WorkClaim& claim, std::string_view worker_id,
                                    std::string_view cause, bool retry) = 0;

  // Hands a unit back for later without counting the attempt: its engine was unavailable (the
  // model server down or busy), which is not the unit's fault. It is claimable again, by any
  // worker, after `delay`. False when the unit was no longer this worker's.
  virtual Result<bool> defer_unit(const WorkClaim& claim, std::string_view worker_id,
                                  std::chrono::milliseconds delay) = 0;

  // Reopens every unit claimed by a worker whose id starts with `worker_prefix`, without
  // counting the interrupted attempt: at start, the units the previous server on this host (and
  // its workers) held when it died. Their work was not the unit's fault, and waiting for their
  // leases would only delay it. Returns how many.
  virtual Result<int> release_claims(std::string_view worker_prefix) = 0;

  // Low-priority jobs queued longer than `waited` are served as normal from now on (their
  // reported priority stays low). Returns how many were promoted.
  virtual Result<int> promote_starved(std::chrono::milliseconds waited) = 0;

  // Where the job stands in the queue; kNotFound when there is no such job.
  virtual Result<QueueStanding> queue_standing(std::string_view job_id) = 0;

  // The errors recorded for the job's pages, by page index, ascending.
  virtual Result<std::vector<std::pair<int, std::string>>> page_errors(std::string_view job_id) = 0;

  // Ends the job: completed, or failed with `error_message`; closes its assembly unit.
  virtual Status finish_job(std::string_view job_id, JobStatus final_status,
                            std::optional<std::string> error_message) = 0;

  // Removes the job and its units, and its webhook delivery if any (delivered or not: a
  // deleted job is not announced); false when there was no such job.
  virtual Result<bool> delete_job(std::string_view job_id) = 0;

  // Webhooks. A job created with a callback_url gets one delivery, enqueued pending (due at
  // once) in the same transaction that ends the job: finish_job, and the failures that end a
  // job inside claim_next and abandon_unit. So neither a crash nor a restart loses it.

  // Pending deliveries due at `now_ms` (epoch ms), the longest due first, at most `limit`
  // (next_attempt_ms as it was). With `hold` above zero, the ones returned are put off until
  // now_ms + hold in the same transaction, so that the senders of other API nodes on the same
  // store pass over them while this one attempts them; record_delivery_attempt then sets the
  // real next time. A delivery whose send was cut off by a crash is due again when its hold
  // ends, so a receiver may see a delivery twice (at least once; X-Docmill-Delivery tells them
  // apart).
  virtual Result<std::vector<WebhookDelivery>> due_deliveries(long long now_ms, int limit,
                                                              std::chrono::milliseconds hold) = 0;

  // Records one attempt at delivery `delivery_id` (attempts + 1): delivered, pending again
  // until `retry_at_ms`, or given up, keeping the error. The body is stored at the first
  // attempt. False when there is no such delivery (its job was deleted meanwhile).
  virtual Result<bool> record_delivery_attempt(long long delivery_id,
                                               const DeliveryAttempt& attempt) = 0;

  // The job's deliveries (none, or one), for tests and diagnostics.
  virtual Result<std::vector<WebhookDelivery>> job_deliveries(std::string_view job_id) = 0;

  // Calls `on_work` whenever another process may have made a unit claimable (a job created, a
  // unit reopened, a job's last page done), until `stop`. Only a hint: claimers poll anyway.
  // The default watches nothing and returns at once (one machine's server tells its workers
  // itself).
  virtual void watch_for_work(const std::function<void()>& on_work, std::stop_token stop) {
    (void)on_work;
    (void)stop;
  }
};

}  // namespace docmill
