#include "app/retention.h"

#include <spdlog/spdlog.h>

#include "core/clock.h"
#include "exec/job_removal.h"

namespace docmill {
namespace {

// Retention is counted in hours; sweeping every few minutes keeps a job at most that much
// past its time, at the cost of one indexed query.
constexpr auto kSweepEvery = std::chrono::minutes(5);

}  // namespace

Result<int> remove_finished_jobs_before(JobStore& store, WorkControl& workers, BlobStore& blobs,
                                        std::chrono::system_clock::time_point cutoff) {
  // ISO 8601 UTC strings of one format order as their times do.
  const std::string before = iso8601_utc(cutoff);
  int removed = 0;
  for (const auto status : {JobStatus::kCompleted, JobStatus::kFailed}) {
    auto jobs = store.list_jobs(status);
    if (!jobs) return std::unexpected(jobs.error());
    for (const auto& job : *jobs) {
      if (job.updated_at >= before) continue;
      auto gone = remove_job(store, workers, blobs, job.job_id);
      if (!gone) return std::unexpected(gone.error());
      removed += *gone;
    }
  }
  return removed;
}

void RetentionSweeper::start() {
  thread_ = std::jthread([this](std::stop_token stop) {
    while (!stop.stop_requested()) {
      sweep();
      std::unique_lock lock(mu_);
      wake_.wait_for(lock, stop, kSweepEvery, [] { return false; });
    }
  });
}

void RetentionSweeper::stop() {
  if (thread_.joinable()) {
    thread_.request_stop();
    thread_.join();
  }
}

void RetentionSweeper::sweep() {
  auto removed = remove_finished_jobs_before(store_, workers_, blobs_,
                                             std::chrono::system_clock::now() - retention_);
  if (!removed) {
    spdlog::error("retention: {}", removed.error().message);
  } else if (*removed > 0) {
    spdlog::info("retention: deleted {} jobs finished more than {} h ago", *removed,
                 retention_.count());
  }
}

}  // namespace docmill
