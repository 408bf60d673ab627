#include "app/data_dir.h"

#include <fmt/format.h>

#include "core/files.h"
#include "core/ids.h"

namespace docmill {
namespace {

bool sweepable(const std::filesystem::path& p, DataDirSweep sweep) {
  if (!sweep.enabled) return false;
  if (sweep.spare_younger_than.count() == 0) return true;
  std::error_code ec;
  const auto written = std::filesystem::last_write_time(p, ec);
  if (ec) return false;
  return std::filesystem::file_time_type::clock::now() - written > sweep.spare_younger_than;
}

}  // namespace

Status prepare_data_dir(const JobPaths& paths, DataDirSweep sweep) {
  std::error_code ec;
  for (const auto& dir : {paths.data_dir(), paths.uploads_dir(), paths.jobs_dir()}) {
    std::filesystem::create_directories(dir, ec);
    if (ec) {
      return fail(ErrorCode::kIo, fmt::format("setting DOCMILL_DATA_DIR: cannot create {}: {}",
                                              dir.string(), ec.message()));
    }
  }
  // Created is not writable (a read-only mount, another owner): find out now, naming the
  // directory, rather than at the first upload.
  for (const auto& dir : {paths.data_dir(), paths.uploads_dir(), paths.jobs_dir()}) {
    const auto probe = dir / ".docmill-write-check";
    if (auto ok = write_file_atomic(probe, "ok\n"); !ok) {
      return fail(ErrorCode::kIo, fmt::format("setting DOCMILL_DATA_DIR: cannot write into {}: {}",
                                              dir.string(), ok.error().message));
    }
    std::filesystem::remove(probe, ec);
  }
  // Uploads in flight belong to this process only (at start there are none), or to a node
  // sharing the directory (spared while recent).
  for (const auto& entry : std::filesystem::directory_iterator(paths.uploads_dir(), ec)) {
    if (entry.path().extension() == ".part" && sweepable(entry.path(), sweep)) {
      std::filesystem::remove(entry.path(), ec);
    }
  }
  return {};
}

Result<int> remove_orphan_job_dirs(const JobPaths& paths, JobStore& store, DataDirSweep sweep) {
  int removed = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(paths.jobs_dir(), ec)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_directory() || !is_job_id(name) || !sweepable(entry.path(), sweep)) continue;
    auto job = store.get_job(name);
    if (!job) return std::unexpected(job.error());
    if (*job) continue;
    std::error_code rm;
    std::filesystem::remove_all(entry.path(), rm);
    if (!rm) ++removed;
  }
  if (ec) {
    return fail(ErrorCode::kIo,
                fmt::format("cannot list {}: {}", paths.jobs_dir().string(), ec.message()));
  }
  return removed;
}

}  // namespace docmill
