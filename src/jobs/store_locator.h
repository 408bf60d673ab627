#pragma once
// A job store named by a locator string, so that a process that claims work (a worker) is
// told which store to use without knowing what kind it is or where it lives:
//   sqlite:/path/to/task_status.db
//   postgresql://user:password@host:5432/database (or postgres://): a PostgreSQL server
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"
#include "jobs/job_store.h"

namespace docmill {

std::string sqlite_store_locator(const std::filesystem::path& db_file);

// A PostgreSQL connection URL (DOCMILL_DATABASE_URL), as libpq takes it.
bool is_postgres_url(std::string_view url);

// kInvalidArgument for an unknown scheme; the store's own errors otherwise.
Result<std::unique_ptr<JobStore>> open_job_store(std::string_view locator);

}  // namespace docmill
