#include "support/tcp_connections.h"

#include <fstream>
#include <sstream>
#include <string>

namespace docmill::testing {
namespace {

// The kernel's code for ESTABLISHED in the "st" column (include/net/tcp_states.h).
constexpr int kEstablished = 0x01;

// Lines of one list counted into `n`; false when the file cannot be opened.
bool count_in(const char* file, int port, int& n) {
  std::ifstream in(file);
  if (!in) return false;
  std::string line;
  std::getline(in, line);  // the column names
  while (std::getline(in, line)) {
    // "  0: 0100007F:C9CB 00000000:0000 0A ...": slot, local address:port, remote, state (hex).
    std::istringstream fields(line);
    std::string slot, local, remote, state;
    if (!(fields >> slot >> local >> remote >> state)) continue;
    const size_t colon = local.rfind(':');
    if (colon == std::string::npos) continue;
    try {
      if (std::stoi(local.substr(colon + 1), nullptr, 16) == port &&
          std::stoi(state, nullptr, 16) == kEstablished) {
        ++n;
      }
    } catch (const std::exception&) {
      continue;  // a line in a format this does not know: not a connection it can count
    }
  }
  return true;
}

}  // namespace

int established_on_port(int port) {
  int n = 0;
  const bool v4 = count_in("/proc/net/tcp", port, n);
  const bool v6 = count_in("/proc/net/tcp6", port, n);
  return v4 || v6 ? n : -1;
}

}  // namespace docmill::testing
