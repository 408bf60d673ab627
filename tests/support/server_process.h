#pragma once
// The real `docmill serve` binary as a child process for end-to-end tests: started on a free
// port of 127.0.0.1 with its own data directory and environment, stopped with a signal. Also
// `docmill worker`, which serves no HTTP.
#include <httplib.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace docmill::testing {

struct ServerOptions {
  std::filesystem::path data_dir;
  std::filesystem::path log_file;          // stdout and stderr, appended
  std::map<std::string, std::string> env;  // DOCMILL_* settings and AUTH_TOKEN
  // The subcommand and its flags: `serve`, `serve --no-workers`, or `worker`.
  std::vector<std::string> args{"serve"};
  // Started once /health answers; without HTTP (`worker`), once its log has this line.
  std::string started_line{};
};

class ServerProcess {
 public:
  // Starts the server and waits until /health answers; throws std::runtime_error (with the
  // server's log) when it does not come up.
  static std::unique_ptr<ServerProcess> start(const ServerOptions& options);
  ~ServerProcess();  // SIGKILL if still running
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // A client for this server, with the bearer token when one is configured.
  std::unique_ptr<httplib::Client> client() const;

  void send_signal(int signal) const;
  // The exit status (code, or 128 + signal) once the process has ended; nullopt on timeout.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);
  bool running();

  std::string log() const;

 private:
  ServerProcess(pid_t pid, int port, ServerOptions options)
      : pid_(pid), port_(port), options_(std::move(options)) {}

  pid_t pid_;
  int port_;
  ServerOptions options_;
  std::optional<int> exit_status_;
};

}  // namespace docmill::testing
