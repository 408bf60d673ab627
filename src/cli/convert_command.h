#pragma once
#include <CLI/CLI.hpp>

namespace docmill {

// Registers `docmill convert IN.pdf -o OUTDIR [...]`; the callback sets `exit_code`.
void add_convert_command(CLI::App& app, int& exit_code);

}  // namespace docmill
