#pragma once
// `docmill worker` as one object: worker processes on a machine of their own, claiming units
// from the shared store (DOCMILL_DATABASE_URL) and reading and writing the jobs' files in the
// shared data directory or the object store (DOCMILL_S3_*), with no HTTP server. The API nodes
// (`docmill serve --no-workers`) take the uploads and answer for the jobs. Stopping drains as
// `docmill serve` does: running pages finish within the grace period, the rest stay in the queue
// for the other workers.
#include <memory>

#include "blobs/blob_reaper.h"
#include "blobs/blob_store.h"
#include "blobs/job_paths.h"
#include "core/change_signal.h"
#include "core/config.h"
#include "core/error.h"
#include "core/metrics.h"
#include "exec/worker_supervisor.h"
#include "jobs/job_store.h"

namespace docmill {

class WorkerNode {
 public:
  // Checks the OCR languages, the data directory and the store before anything starts.
  static Result<std::unique_ptr<WorkerNode>> create(ServeConfig config);
  ~WorkerNode();
  WorkerNode(const WorkerNode&) = delete;
  WorkerNode& operator=(const WorkerNode&) = delete;

  void start();
  // Idempotent; returns once every worker process has ended.
  void stop();

 private:
  WorkerNode(ServeConfig config, std::unique_ptr<JobStore> store, std::unique_ptr<BlobStore> blobs);

  ServeConfig config_;
  JobPaths paths_;
  std::unique_ptr<JobStore> store_;
  std::unique_ptr<BlobStore> blobs_;  // checked at start; the worker processes open their own
  BlobReaper copies_;                 // drops this node's copies of ended jobs (object store)
  ChangeSignal job_changes_;          // told by the supervisor; nothing here waits on it
  Metrics metrics_;                   // counted by the supervisor; no /metrics on a worker node
  WorkerSupervisor workers_;
};

}  // namespace docmill
