#pragma once
// The job store on a PostgreSQL server, for several API nodes and worker machines sharing one
// queue: the same tables as the SQLite store (tasks, work_units, webhook_deliveries), created
// and migrated at open (postgres_schema.h). Every method is one transaction on a connection of
// a small pool. The work-units table is the queue: a claim takes the next unit with
// SELECT ... FOR UPDATE SKIP LOCKED, so claims from many processes never wait on each other's
// units. A transaction that loses a deadlock runs again; one whose connection dropped (the
// server restarted) runs again once on a new connection, unless it was committing, when its
// outcome is unknown and the error says so.
#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/error.h"
#include "jobs/job.h"
#include "jobs/job_store.h"
#include "jobs/pg_pool.h"

namespace docmill {

class PostgresJobStore final : public JobStore {
 public:
  // Connects to `url` (postgresql://...) and brings its schema up to date.
  static Result<std::unique_ptr<PostgresJobStore>> open(const std::string& url);

  PostgresJobStore(const PostgresJobStore&) = delete;
  PostgresJobStore& operator=(const PostgresJobStore&) = delete;

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
  // LISTEN on a connection of its own, reconnecting (with backoff) when it drops.
  void watch_for_work(const std::function<void()>& on_work, std::stop_token stop) override;

  // Connections each process keeps at most: its HTTP threads and workers take turns.
  static constexpr int kPoolSize = 4;

 private:
  explicit PostgresJobStore(const std::string& url);

  // Runs `body(connection)` between BEGIN and COMMIT, again as described above; a failure
  // names the database and `action`.
  template <class F>
  std::invoke_result_t<F&, pg::Connection&> transaction(std::string_view action, F&& body);

  std::string url_;
  std::string where_;  // the URL without its password, for messages
  pg::Pool pool_;
};

}  // namespace docmill
