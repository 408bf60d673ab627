#pragma once
#include <CLI/CLI.hpp>

namespace docmill {

// Registers `docmill serve [--port N ...]`: the HTTP API with its workers, until SIGTERM or
// SIGINT. The callback sets `exit_code`.
// `--no-workers`: an API node, without worker processes.
void add_serve_command(CLI::App& app, int& exit_code);

// Registers `docmill worker [--workers N ...]`: worker processes without the HTTP API, on the
// store and data directory the API nodes share, until SIGTERM or SIGINT (which drains).
void add_worker_command(CLI::App& app, int& exit_code);

}  // namespace docmill
