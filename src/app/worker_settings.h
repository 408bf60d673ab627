#pragma once
// What `docmill serve` and `docmill worker` both derive from the settings: which job store,
// and how their worker processes are started.
#include <string>

#include "blobs/job_paths.h"
#include "core/change_signal.h"
#include "core/config.h"
#include "exec/worker_supervisor.h"

namespace docmill {

// This machine's name: the prefix of its workers' ids.
std::string host_name();

// DOCMILL_DATABASE_URL, or the SQLite file in the data directory.
std::string store_locator(const ServeConfig& c, const JobPaths& paths);

SupervisorOptions supervisor_options(const ServeConfig& c, const JobPaths& paths,
                                     ChangeSignal& job_changes);

}  // namespace docmill
