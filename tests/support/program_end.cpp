#include "support/program_end.h"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vector>

namespace docmill::testing {
namespace {

bool stdin_can_end() {
  struct stat st {};
  if (::fstat(STDIN_FILENO, &st) != 0) return false;
  return S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || ::isatty(STDIN_FILENO);
}

}  // namespace

ProgramEnd::ProgramEnd() {
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  pthread_sigmask(SIG_BLOCK, &mask, nullptr);
  signals_ = ::signalfd(-1, &mask, SFD_CLOEXEC);
}

ProgramEnd::~ProgramEnd() {
  if (signals_ >= 0) ::close(signals_);
}

void ProgramEnd::wait(bool watch_stdin) const {
  watch_stdin = watch_stdin && stdin_can_end();
  std::vector<pollfd> fds{{signals_, POLLIN, 0}};
  if (watch_stdin) fds.push_back({STDIN_FILENO, POLLIN, 0});
  char buffer[4096];
  while (true) {
    if (::poll(fds.data(), fds.size(), -1) < 0) continue;  // EINTR
    if (fds[0].revents != 0) return;
    if (watch_stdin && fds[1].revents != 0) {
      const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
      if (n <= 0) return;
    }
  }
}

}  // namespace docmill::testing
