#pragma once
#include <CLI/CLI.hpp>

namespace docmill {

// `docmill probe FILE`: opens an upload and prints one JSON line, {"pages": N} or
// {"code": "...", "message": "..."}. Hidden: the server runs it in a child process so that a
// PDF that crashes MuPDF while being opened cannot take the server down (exec/upload_probe.h).
void add_probe_command(CLI::App& app, int& exit_code);

}  // namespace docmill
