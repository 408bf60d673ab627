#pragma once
// DOCMILL_RETENTION_HOURS: a thread that deletes completed and failed jobs, rows and files
// together, once their last change is older than the retention. Jobs still pending or
// processing are never touched.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "blobs/blob_store.h"
#include "exec/work_control.h"
#include "jobs/job_store.h"

namespace docmill {

// Deletes the finished jobs last updated before `cutoff`; returns how many.
Result<int> remove_finished_jobs_before(JobStore& store, WorkControl& workers, BlobStore& blobs,
                                        std::chrono::system_clock::time_point cutoff);

class RetentionSweeper {
 public:
  RetentionSweeper(JobStore& store, WorkControl& workers, BlobStore& blobs,
                   std::chrono::hours retention)
      : store_(store), workers_(workers), blobs_(blobs), retention_(retention) {}
  ~RetentionSweeper() { stop(); }
  RetentionSweeper(const RetentionSweeper&) = delete;
  RetentionSweeper& operator=(const RetentionSweeper&) = delete;

  // Sweeps at once, then every few minutes.
  void start();
  void stop();

 private:
  void sweep();

  JobStore& store_;
  WorkControl& workers_;
  BlobStore& blobs_;
  std::chrono::hours retention_;
  std::mutex mu_;
  std::condition_variable_any wake_;
  std::jthread thread_;
};

}  // namespace docmill
