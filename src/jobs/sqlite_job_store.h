#pragma once
// The job store in one SQLite file: table `tasks` (the seed's columns, plus the creation order
// and the job's options) and table `work_units` (one row per page to read, plus one per job for
// assembling its outputs), and table `webhook_deliveries` (one per finished job with a
// callback_url). The file outlives the process: reopening it resumes the queue.
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "jobs/job.h"
#include "jobs/job_store.h"

struct sqlite3;

namespace docmill {

// One connection, used under one mutex: the store's statements are short, so serialising them
// costs little and keeps every multi-statement step (claiming, completing) trivially atomic
// within the process. Transactions are BEGIN IMMEDIATE, so other processes on the same file
// wait (busy_timeout) rather than interleave.
class SqliteJobStore final : public JobStore {
 public:
  // Opens or creates the database and its tables.
  static Result<std::unique_ptr<SqliteJobStore>> open(const std::filesystem::path& db_file);

  ~SqliteJobStore() override;
  SqliteJobStore(const SqliteJobStore&) = delete;
  SqliteJobStore& operator=(const SqliteJobStore&) = delete;

  Status create_job(const Job& job, std::span<const int> page_indices) override;
  Result<std::optional<Job>> get_job(std::string_view job_id) override;
  Result<std::vector<Job>> list_jobs(std::optional<JobStatus> status) override;
  Result<int> count_unfinished_jobs() override;
  Result<StoreCounts> counts() override;
  Status check_writable() override;
  Result<std::optional<WorkClaim>> claim_next(std::string_view worker_id,
                                              std::chrono::milliseconds lease,
                                              int max_attempts) override;
  Result<bool> renew_lease(const WorkClaim& claim, std::string_view worker_id,
                           std::chrono::milliseconds lease) override;
  Result<PageOutcome> complete_page(const WorkClaim& claim, std::string_view worker_id,
                                    std::optional<std::string> page_error,
                                    const PageCost& cost) override;
  Result<bool> abandon_unit(const WorkClaim& claim, std::string_view worker_id,
                            std::string_view cause, bool retry) override;
  Result<int> promote_starved(std::chrono::milliseconds waited) override;
  Result<QueueStanding> queue_standing(std::string_view job_id) override;
  Result<bool> defer_unit(const WorkClaim& claim, std::string_view worker_id,
                          std::chrono::milliseconds delay) override;
  Result<int> release_claims(std::string_view worker_prefix) override;
  Result<std::vector<std::pair<int, std::string>>> page_errors(std::string_view job_id) override;
  Status finish_job(std::string_view job_id, JobStatus final_status,
                    std::optional<std::string> error_message) override;
  Result<bool> delete_job(std::string_view job_id) override;
  Result<std::vector<WebhookDelivery>> due_deliveries(long long now_ms, int limit,
                                                      std::chrono::milliseconds hold) override;
  Result<bool> record_delivery_attempt(long long delivery_id,
                                       const DeliveryAttempt& attempt) override;
  Result<std::vector<WebhookDelivery>> job_deliveries(std::string_view job_id) override;

 private:
  struct Closer {
    void operator()(sqlite3* db) const;
  };
  using Connection = std::unique_ptr<sqlite3, Closer>;

  SqliteJobStore(Connection db, std::filesystem::path path);

  std::mutex mutex_;
  Connection db_;  // guarded by mutex_
  std::filesystem::path path_;
};

}  // namespace docmill
