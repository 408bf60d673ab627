#include "blobs/file_blob_store.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/ids.h"

namespace docmill {
namespace {

bool is_temporary(const std::filesystem::path& p) {
  const auto ext = p.extension();
  return ext == ".tmp" || ext == ".part" || ext == ".fetch";
}

}  // namespace

Result<std::vector<std::string>> list_files(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return names;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && !is_temporary(entry.path())) {
      names.push_back(entry.path().filename().string());
    }
  }
  if (ec)
    return fail(ErrorCode::kIo, fmt::format("cannot list {}: {}", dir.string(), ec.message()));
  std::sort(names.begin(), names.end());
  return names;
}

Status FileBlobStore::put(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    return fail(ErrorCode::kIo, fmt::format("{} was not written", file.string()));
  }
  return {};
}

Status FileBlobStore::get(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    return fail(ErrorCode::kNotFound, fmt::format("{} not found", file.filename().string()));
  }
  return {};
}

Result<std::vector<std::string>> FileBlobStore::list(const std::filesystem::path& dir) {
  return list_files(dir);
}

Status FileBlobStore::remove_job(std::string_view job_id) {
  std::error_code ec;
  std::filesystem::remove_all(paths_.job_dir(job_id), ec);
  if (ec) {
    return fail(ErrorCode::kIo,
                fmt::format("cannot remove {}: {}", paths_.job_dir(job_id).string(), ec.message()));
  }
  return {};
}

Result<std::vector<StoredJob>> FileBlobStore::stored_jobs() {
  std::vector<StoredJob> jobs;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(paths_.jobs_dir(), ec)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_directory() || !is_job_id(name)) continue;
    std::error_code t;
    const auto written = std::filesystem::last_write_time(entry.path(), t);
    if (t) continue;  // removed meanwhile
    jobs.push_back({name, to_system_time(written)});
  }
  if (ec) {
    return fail(ErrorCode::kIo,
                fmt::format("cannot list {}: {}", paths_.jobs_dir().string(), ec.message()));
  }
  return jobs;
}

std::string FileBlobStore::describe() const {
  return fmt::format("the data directory {}", paths_.data_dir().string());
}

}  // namespace docmill
