#include "api/readiness.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <string>
#include <system_error>
#include <vector>

namespace docmill {
namespace {

constexpr long long kMiB = 1LL << 20;

nlohmann::json passed() {
  return {{"ok", true}};
}

nlohmann::json failed(std::string why) {
  return {{"ok", false}, {"error", std::move(why)}};
}

nlohmann::json disk_check(const std::filesystem::path& data_dir, long long min_free_bytes) {
  std::error_code ec;
  const auto space = std::filesystem::space(data_dir, ec);
  if (ec) {
    return failed(fmt::format("cannot read the free space of the data directory {}: {}",
                              data_dir.string(), ec.message()));
  }
  // What an unprivileged process may still write (statvfs's f_bavail), not the root reserve.
  const auto free_bytes = static_cast<long long>(space.available);
  nlohmann::json check = {{"ok", free_bytes >= min_free_bytes},
                          {"free_mb", free_bytes / kMiB},
                          {"min_free_mb", min_free_bytes / kMiB}};
  if (free_bytes < min_free_bytes) {
    check["error"] = fmt::format(
        "the data directory {} has {} MiB free, under the {} MiB DOCMILL_READY_MIN_FREE_MB asks "
        "for",
        data_dir.string(), free_bytes / kMiB, min_free_bytes / kMiB);
  }
  return check;
}

}  // namespace

Readiness check_readiness(JobStore& store, BlobStore& blobs, bool engine_loaded,
                          const std::filesystem::path& data_dir, long long min_free_bytes) {
  nlohmann::json checks = nlohmann::json::object();
  const auto writable = store.check_writable();
  checks["store"] = writable ? passed() : failed(writable.error().message);
  const auto reachable = blobs.check();
  checks["blob_store"] = reachable ? passed() : failed(reachable.error().message);
  checks["engine"] =
      engine_loaded ? passed()
                    : failed("the default engine is not loaded yet (GET /health's model_loaded)");
  checks["disk_space"] = disk_check(data_dir, min_free_bytes);

  std::vector<std::string> failures;
  for (const auto& [name, check] : checks.items()) {
    if (!check["ok"].get<bool>()) {
      failures.push_back(fmt::format("{}: {}", name, check["error"].get<std::string>()));
    }
  }
  Readiness out;
  out.ready = failures.empty();
  out.body = {{"status", out.ready ? "ready" : "not_ready"}, {"checks", std::move(checks)}};
  if (!out.ready) {
    out.body["detail"] = fmt::format("not ready: {}", fmt::join(failures, "; "));
    out.body["error"] = "not_ready";
  }
  return out;
}

}  // namespace docmill
