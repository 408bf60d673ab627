#include "blobs/s3_blob_store.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace docmill {

Result<std::string> S3BlobStore::key_of(const std::filesystem::path& file) const {
  const auto relative = file.lexically_relative(paths_.data_dir());
  const std::string key = relative.generic_string();
  if (relative.empty() || key.starts_with("..")) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("{} is not under the data directory", file.string()));
  }
  return key;
}

Status S3BlobStore::put(const std::filesystem::path& file) {
  auto key = key_of(file);
  if (!key) return std::unexpected(key.error());
  return client_.put_file(*key, file);
}

Status S3BlobStore::get(const std::filesystem::path& file) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(file, ec)) {
    // A copy that is read is kept: the reaper drops those of ended jobs unused for a while,
    // judged by their job directory's time.
    const auto relative = file.lexically_relative(paths_.jobs_dir());
    if (!relative.empty() && !relative.begin()->empty()) {
      std::filesystem::last_write_time(paths_.jobs_dir() / *relative.begin(),
                                       std::filesystem::file_time_type::clock::now(), ec);
    }
    return {};
  }
  auto key = key_of(file);
  if (!key) return std::unexpected(key.error());
  return client_.get_file(*key, file);
}

Status S3BlobStore::prepare_job(std::string_view job_id) {
  std::error_code ec;
  std::filesystem::create_directories(paths_.pages_dir(job_id), ec);
  if (!ec) std::filesystem::create_directories(paths_.images_dir(job_id), ec);
  if (ec) {
    return fail(ErrorCode::kIo,
                fmt::format("cannot create {}: {}", paths_.job_dir(job_id).string(), ec.message()));
  }
  return {};
}

Result<std::vector<std::string>> S3BlobStore::list(const std::filesystem::path& dir) {
  auto key = key_of(dir);
  if (!key) return std::unexpected(key.error());
  const std::string prefix = *key + "/";
  auto objects = client_.list(prefix);
  if (!objects) return std::unexpected(objects.error());
  std::vector<std::string> names;
  for (const auto& object : *objects) {
    const std::string name = object.key.substr(prefix.size());
    if (!name.empty() && name.find('/') == std::string::npos) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

Status S3BlobStore::remove_job(std::string_view job_id) {
  // Local copies first: the node forgets the job even when the store is out of reach (the
  // reaper removes what is left in the store later).
  std::error_code ec;
  std::filesystem::remove_all(paths_.job_dir(job_id), ec);
  auto prefix = key_of(paths_.job_dir(job_id));
  if (!prefix) return std::unexpected(prefix.error());
  auto objects = client_.list(*prefix + "/");
  if (!objects) return std::unexpected(objects.error());
  for (const auto& object : *objects) {
    if (auto removed = client_.remove(object.key); !removed) return removed;
  }
  if (ec) {
    return fail(ErrorCode::kIo,
                fmt::format("cannot remove {}: {}", paths_.job_dir(job_id).string(), ec.message()));
  }
  return {};
}

Result<std::vector<StoredJob>> S3BlobStore::stored_jobs() {
  auto prefix = key_of(paths_.jobs_dir());
  if (!prefix) return std::unexpected(prefix.error());
  auto objects = client_.list(*prefix + "/");
  if (!objects) return std::unexpected(objects.error());
  std::map<std::string, std::chrono::system_clock::time_point> newest;
  for (const auto& object : *objects) {
    const std::string rest = object.key.substr(prefix->size() + 1);
    const auto slash = rest.find('/');
    if (slash == std::string::npos || slash == 0) continue;
    auto& at = newest[rest.substr(0, slash)];
    at = std::max(at, object.modified);
  }
  std::vector<StoredJob> jobs;
  for (auto& [id, at] : newest) jobs.push_back({id, at});
  return jobs;
}

}  // namespace docmill
