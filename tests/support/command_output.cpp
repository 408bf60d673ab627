#include "support/command_output.h"

#include <sys/wait.h>
#include <cstdio>

namespace docmill::testing {

std::optional<std::string> command_output(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::string out;
  char buf[4096];
  while (size_t n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  const int status = pclose(pipe);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  return out;
}

bool have_tool(const std::string& tool) {
  return command_output("command -v " + tool + " >/dev/null 2>&1").has_value();
}

}  // namespace docmill::testing
