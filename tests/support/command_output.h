#pragma once
// Runs a command line with the shell and returns what it printed, for tests that check docmill's
// files with the tools people use on them (pdftotext, mutool).
#include <optional>
#include <string>

namespace docmill::testing {

// stdout of `command`; nullopt when it could not be run or exited non-zero.
std::optional<std::string> command_output(const std::string& command);

// True when `tool` is on PATH.
bool have_tool(const std::string& tool);

}  // namespace docmill::testing
