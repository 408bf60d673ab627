#include "blobs/blob_reaper.h"

#include <spdlog/spdlog.h>

#include <fmt/format.h>

#include "core/ids.h"
#include "core/stop_wait.h"

namespace docmill {

Result<int> BlobReaper::remove_orphans(std::chrono::system_clock::time_point now) {
  auto stored = blobs_.stored_jobs();
  if (!stored) return std::unexpected(stored.error());
  int removed = 0;
  for (const auto& stored_job : *stored) {
    if (now - stored_job.newest < options_.orphan_age || !is_job_id(stored_job.job_id)) continue;
    auto job = store_.get_job(stored_job.job_id);
    if (!job) return std::unexpected(job.error());
    if (*job) continue;
    if (auto gone = blobs_.remove_job(stored_job.job_id); !gone) {
      spdlog::warn("job {}: cannot remove its files: {}", stored_job.job_id, gone.error().message);
      continue;
    }
    ++removed;
  }
  return removed;
}

Result<int> BlobReaper::drop_copies(std::chrono::system_clock::time_point now) {
  int dropped = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(paths_.jobs_dir(), ec)) {
    const std::string id = entry.path().filename().string();
    if (!entry.is_directory() || !is_job_id(id)) continue;
    std::error_code t;
    const auto used = to_system_time(std::filesystem::last_write_time(entry.path(), t));
    if (t || now - used < options_.copy_idle) continue;
    auto job = store_.get_job(id);
    if (!job) return std::unexpected(job.error());
    const bool ended =
        !*job || (*job)->status == JobStatus::kCompleted || (*job)->status == JobStatus::kFailed;
    if (!ended) continue;
    std::error_code rm;
    std::filesystem::remove_all(entry.path(), rm);
    if (!rm) ++dropped;
  }
  if (ec) {
    return fail(ErrorCode::kIo,
                fmt::format("cannot list {}: {}", paths_.jobs_dir().string(), ec.message()));
  }
  return dropped;
}

Result<BlobSweep> BlobReaper::sweep_once(std::chrono::system_clock::time_point now) {
  BlobSweep sweep;
  if (options_.reap_store) {
    auto removed = remove_orphans(now);
    if (!removed) return std::unexpected(removed.error());
    sweep.jobs_removed = *removed;
  }
  if (blobs_.local_copies()) {
    auto dropped = drop_copies(now);
    if (!dropped) return std::unexpected(dropped.error());
    sweep.copies_dropped = *dropped;
  }
  return sweep;
}

void BlobReaper::start() {
  thread_ = std::jthread([this](std::stop_token stop) {
    while (wait_unless_stopped(stop, options_.period)) {
      auto sweep = sweep_once(std::chrono::system_clock::now());
      if (!sweep) {
        spdlog::warn("blob reaper: {}", sweep.error().message);
      } else if (sweep->jobs_removed + sweep->copies_dropped > 0) {
        spdlog::info("blob reaper: removed the files of {} deleted jobs, dropped {} local copies",
                     sweep->jobs_removed, sweep->copies_dropped);
      }
    }
  });
}

}  // namespace docmill
