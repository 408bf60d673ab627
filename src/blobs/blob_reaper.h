#pragma once
// Keeps the blob store and this node's copies in step with the job store, every few minutes:
//  - the files of jobs that no longer exist are removed from the store (a DELETE whose node
//    died between removing the rows and the files, a store out of reach at that moment);
//  - with an object store, this node's copies of jobs that ended or are gone are dropped once
//    unused for a while: they are fetched again if asked for.
// Age spares what is in progress: an upload's files exist a moment before its job's row.
#include <chrono>
#include <thread>

#include "blobs/blob_store.h"
#include "blobs/job_paths.h"
#include "jobs/job_store.h"

namespace docmill {

struct BlobReaperOptions {
  std::chrono::milliseconds period{std::chrono::minutes(5)};
  // A job's files without a row are removed once the newest is this old.
  std::chrono::seconds orphan_age{std::chrono::hours(1)};
  // Copies of an ended or deleted job are dropped once unused this long.
  std::chrono::seconds copy_idle{std::chrono::minutes(10)};
  // False on worker nodes: the API nodes keep the store; workers only drop their copies.
  bool reap_store = true;
};

struct BlobSweep {
  int jobs_removed = 0;    // from the store
  int copies_dropped = 0;  // job directories of this node
};

class BlobReaper {
 public:
  BlobReaper(JobStore& store, BlobStore& blobs, JobPaths paths, BlobReaperOptions options = {})
      : store_(store), blobs_(blobs), paths_(std::move(paths)), options_(options) {}

  // One pass, as of `now`.
  Result<BlobSweep> sweep_once(std::chrono::system_clock::time_point now);
  // Sweeps every `period` on a thread of its own until destroyed.
  void start();

 private:
  Result<int> remove_orphans(std::chrono::system_clock::time_point now);
  Result<int> drop_copies(std::chrono::system_clock::time_point now);

  JobStore& store_;
  BlobStore& blobs_;
  JobPaths paths_;
  BlobReaperOptions options_;
  std::jthread thread_;
};

}  // namespace docmill
