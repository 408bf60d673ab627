#include "jobs/store_locator.h"

#include <fmt/format.h>

#include "jobs/postgres_job_store.h"
#include "jobs/sqlite_job_store.h"

namespace docmill {
namespace {

constexpr std::string_view kSqliteScheme = "sqlite:";

}  // namespace

std::string sqlite_store_locator(const std::filesystem::path& db_file) {
  return std::string(kSqliteScheme) + db_file.string();
}

bool is_postgres_url(std::string_view url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

Result<std::unique_ptr<JobStore>> open_job_store(std::string_view locator) {
  if (locator.starts_with(kSqliteScheme)) {
    auto store = SqliteJobStore::open(std::string(locator.substr(kSqliteScheme.size())));
    if (!store) return std::unexpected(store.error());
    return std::unique_ptr<JobStore>(std::move(*store));
  }
  if (is_postgres_url(locator)) {
    auto store = PostgresJobStore::open(std::string(locator));
    if (!store) return std::unexpected(store.error());
    return std::unique_ptr<JobStore>(std::move(*store));
  }
  return fail(
      ErrorCode::kInvalidArgument,
      fmt::format("unknown job store '{}': expected sqlite:<path> or postgresql://...", locator));
}

}  // namespace docmill
