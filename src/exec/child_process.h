#pragma once
// A child process of this binary (`docmill worker-process`, `docmill probe`) with its standard
// input and output as pipes: the one place docmill forks. Untrusted PDFs are only ever parsed in
// such children, so a crash, an abort or a runaway allocation ends the child, never the server.
//
// The child dies with its parent (PR_SET_PDEATHSIG), so a server killed with SIGKILL leaves no
// worker behind to write into a job the restarted server has taken over.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace docmill {

struct ChildLimits {
  // Address space (RLIMIT_AS) in bytes; 0: none. Not applied under AddressSanitizer, whose
  // shadow memory reserves terabytes of address space (the RSS watch still applies there).
  long long address_space = 0;
};

// How a child ended.
struct ChildExit {
  int exit_code = -1;  // when it exited
  int signal = 0;      // when a signal ended it
  // "exit code 3", "SIGSEGV": for messages.
  std::string describe() const;
};

class ChildProcess {
 public:
  // Starts `binary` with `args` (argv[1..]); stderr is inherited (the child logs there).
  // `extra_env` ("NAME=value") is added to the environment it inherits: for what must not
  // appear on a command line, which any user of the machine can read.
  static Result<ChildProcess> spawn(const std::filesystem::path& binary,
                                    const std::vector<std::string>& args, ChildLimits limits,
                                    const std::vector<std::string>& extra_env = {});

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  // Kills the child if it still runs and reaps it.
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  // Writes one line (a newline is added) to the child's stdin; false when it is gone.
  bool send_line(std::string_view line);
  // Closes the child's stdin: it sees end of input.
  void close_input();
  // The next line the child wrote, waiting up to `timeout` for it; nullopt on timeout and at
  // the end of its output (it closed stdout or died), which output_ended() tells apart.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);
  bool output_ended() const { return out_eof_; }
  void kill(int signal);
  // Waits for the child to end (after killing it, or after its output ended).
  ChildExit wait();
  // Resident set size in bytes, from /proc; 0 when it cannot be read.
  long long resident_bytes() const;

 private:
  ChildProcess(pid_t pid, int in_fd, int out_fd) : pid_(pid), in_fd_(in_fd), out_fd_(out_fd) {}
  void release();

  pid_t pid_ = -1;
  int in_fd_ = -1;
  int out_fd_ = -1;
  std::string buffer_;
  bool out_eof_ = false;
  std::optional<ChildExit> exit_;
};

// The path of the running binary, so a child runs the same build as its parent.
std::filesystem::path self_binary();

}  // namespace docmill
