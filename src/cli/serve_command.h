#pragma once
#include <CLI/CLI.hpp>

namespace docmill {

// Registers `docmill serve [--port N ...]`: the HTTP API with its workers, until SIGTERM or
// SIGINT. The callback sets `exit_code`.
void add_serve_command(CLI::App& app, int& exit_code);

}  // namespace docmill
