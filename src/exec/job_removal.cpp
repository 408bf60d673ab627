#include "exec/job_removal.h"

#include <spdlog/spdlog.h>

namespace docmill {

Result<bool> remove_job(JobStore& store, WorkControl& workers, const JobPaths& paths,
                        std::string_view job_id) {
  auto deleted = store.delete_job(job_id);
  if (!deleted || !*deleted) return deleted;
  workers.cancel_job(job_id);
  std::error_code ec;
  std::filesystem::remove_all(paths.job_dir(job_id), ec);
  if (ec) {
    // The job is gone for every client; the leftover files are removed at the next start.
    spdlog::error("job {}: cannot remove its files: {}", job_id, ec.message());
  }
  return true;
}

}  // namespace docmill
