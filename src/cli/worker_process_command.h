#pragma once
#include <CLI/CLI.hpp>

namespace docmill {

// `docmill worker-process`: a worker process of `docmill serve` or `docmill worker`
// (exec/worker_process.h). Hidden: the server starts it; people do not.
void add_worker_process_command(CLI::App& app, int& exit_code);

}  // namespace docmill
