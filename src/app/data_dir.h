#pragma once
// The data directory at start: created when missing, and cleared of what a crash can leave
// behind (an upload cut off mid-stream, a job directory whose row is gone because the process
// died between deleting the row and removing the files, or before creating the row).
#include "core/error.h"
#include "exec/job_paths.h"
#include "jobs/job_store.h"

namespace docmill {

Status prepare_data_dir(const JobPaths& paths);

// Removes job directories without a job in `store`; returns how many.
Result<int> remove_orphan_job_dirs(const JobPaths& paths, JobStore& store);

}  // namespace docmill
