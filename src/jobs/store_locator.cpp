#include "jobs/store_locator.h"

#include <fmt/format.h>

#include "jobs/sqlite_job_store.h"

namespace docmill {
namespace {

constexpr std::string_view kSqliteScheme = "sqlite:";

}  // namespace

std::string sqlite_store_locator(const std::filesystem::path& db_file) {
  return std::string(kSqliteScheme) + db_file.string();
}

Result<std::unique_ptr<JobStore>> open_job_store(std::string_view locator) {
  if (locator.starts_with(kSqliteScheme)) {
    auto store = SqliteJobStore::open(std::string(locator.substr(kSqliteScheme.size())));
    if (!store) return std::unexpected(store.error());
    return std::unique_ptr<JobStore>(std::move(*store));
  }
  return fail(ErrorCode::kInvalidArgument,
              fmt::format("unknown job store '{}': expected sqlite:<path>", locator));
}

}  // namespace docmill
