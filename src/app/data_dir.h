#pragma once
// The data directory at start: created when missing, and cleared of what a crash can leave
// behind (an upload cut off mid-stream, a job directory whose row is gone because the process
// died between deleting the row and removing the files, or before creating the row).
#include <chrono>

#include "blobs/job_paths.h"
#include "core/error.h"
#include "jobs/job_store.h"

namespace docmill {

// What start-up may clear in a data directory: all it finds (the directory is this process's
// own), or only what is older than `spare_younger_than` (other nodes share the directory and
// are uploading into it now: an upload's directory exists a moment before its job's row).
struct DataDirSweep {
  bool enabled = true;  // false: nothing is cleared (a worker node: the API nodes own that)
  std::chrono::seconds spare_younger_than{0};
};

Status prepare_data_dir(const JobPaths& paths, DataDirSweep sweep = {});

// Removes job directories without a job in `store`; returns how many.
Result<int> remove_orphan_job_dirs(const JobPaths& paths, JobStore& store, DataDirSweep sweep = {});

}  // namespace docmill
