#pragma once
// Where a job's files (its input, page records, figures and outputs) are kept so that every
// node reads them: the blob store. Its files are named by where they lie in the data directory
// (blobs/job_paths.h), which every node has:
//
//   FileBlobStore  the data directory is the store (one machine, or a mount every node shares);
//   S3BlobStore    an S3-compatible bucket is the store and each node's data directory holds
//                  copies: written there, then put; fetched there before they are read.
//
// Whoever writes a file calls put() before the store learns of it (a page is counted, a job is
// created), and whoever reads one calls get() first, so a reader on any node finds it.
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "blobs/job_paths.h"
#include "core/error.h"
#include "core/s3_settings.h"

namespace docmill {

// A file's time as the system clock's (what the object store's listing reports).
inline std::chrono::system_clock::time_point to_system_time(std::filesystem::file_time_type t) {
  return std::chrono::time_point_cast<std::chrono::system_clock::duration>(
      std::chrono::file_clock::to_sys(t));
}

// A job with files in the store, and when the newest of them was written.
struct StoredJob {
  std::string job_id;
  std::chrono::system_clock::time_point newest;
};

class BlobStore {
 public:
  virtual ~BlobStore() = default;

  // `file`, just written under the data directory, is stored where every node reads it.
  virtual Status put(const std::filesystem::path& file) = 0;
  // `file` is under the data directory, fetched when this node has no copy. kNotFound when
  // the store has none.
  virtual Status get(const std::filesystem::path& file) = 0;
  // The job's folders exist on this node, for a worker to write its pages into. In the data
  // directory the upload made them (and a deleted job's are never made again); a node with
  // copies makes its own.
  virtual Status prepare_job(std::string_view job_id) = 0;
  // The names of the files stored directly in `dir`, sorted.
  virtual Result<std::vector<std::string>> list(const std::filesystem::path& dir) = 0;
  // `job_id`'s files go, from the store and from this node.
  virtual Status remove_job(std::string_view job_id) = 0;
  // The jobs that have files in the store: what the reaper compares with the job store.
  virtual Result<std::vector<StoredJob>> stored_jobs() = 0;
  // The store answers (for /ready).
  virtual Status check() = 0;
  // True when the data directory holds only copies, which this node may drop.
  virtual bool local_copies() const = 0;
  // "the data directory /srv/data", "S3 bucket B at URL": for logs.
  virtual std::string describe() const = 0;
};

// The S3 store when `s3` is configured, else the data directory itself.
std::unique_ptr<BlobStore> open_blob_store(const S3Settings& s3, const JobPaths& paths);

}  // namespace docmill
