#pragma once
// A job store named by a locator string, so that a process that claims work (a worker) is
// told which store to use without knowing what kind it is or where it lives:
//   sqlite:/path/to/task_status.db
// A second kind of store adds its scheme here.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"
#include "jobs/job_store.h"

namespace docmill {

std::string sqlite_store_locator(const std::filesystem::path& db_file);

// kInvalidArgument for an unknown scheme; the store's own errors otherwise.
Result<std::unique_ptr<JobStore>> open_job_store(std::string_view locator);

}  // namespace docmill
