#include "exec/job_removal.h"

#include <spdlog/spdlog.h>

namespace docmill {

Result<bool> remove_job(JobStore& store, WorkControl& workers, BlobStore& blobs,
                        std::string_view job_id) {
  auto deleted = store.delete_job(job_id);
  if (!deleted || !*deleted) return deleted;
  workers.cancel_job(job_id);
  if (auto removed = blobs.remove_job(job_id); !removed) {
    // The job is gone for every client; the blob reaper removes the leftover files later.
    spdlog::error("job {}: cannot remove its files: {}", job_id, removed.error().message);
  }
  return true;
}

}  // namespace docmill
