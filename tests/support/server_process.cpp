#include "support/server_process.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "support/pdf_factory.h"

extern char** environ;

namespace docmill::testing {
namespace {

// A port the kernel just handed out and nobody holds; the server binds it a moment later.
int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    throw std::runtime_error("cannot find a free port");
  }
  close(fd);
  return ntohs(addr.sin_port);
}

bool is_server_setting(std::string_view entry) {
  return entry.starts_with("DOCMILL_") || entry.starts_with("AUTH_TOKEN=");
}

// The test's environment without any docmill setting of its own, plus `overrides`.
std::vector<std::string> child_env(const std::map<std::string, std::string>& overrides) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (!is_server_setting(*e)) env.emplace_back(*e);
  }
  for (const auto& [k, v] : overrides) env.push_back(k + "=" + v);
  return env;
}

}  // namespace

std::unique_ptr<ServerProcess> ServerProcess::start(const ServerOptions& options) {
  std::string last_error;
  // A port taken between free_port() and the server's bind shows as an early exit: retry.
  for (int attempt = 0; attempt < 3; ++attempt) {
    const int port = free_port();
    auto overrides = options.env;
    overrides["DOCMILL_HOST"] = "127.0.0.1";
    overrides["DOCMILL_PORT"] = std::to_string(port);
    overrides["DOCMILL_DATA_DIR"] = options.data_dir.string();
    overrides.try_emplace("DOCMILL_WORKERS", "2");

    // Everything the child needs is built before fork(): after it, only exec.
    const auto env = child_env(overrides);
    std::vector<char*> envp;
    for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    std::string binary = DOCMILL_BINARY;
    std::vector<std::string> args = options.args;
    std::vector<char*> argv = {binary.data()};
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int log_fd =
        open(options.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0) throw std::runtime_error("cannot open " + options.log_file.string());

    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork() failed");
    if (pid == 0) {
      dup2(log_fd, STDOUT_FILENO);
      dup2(log_fd, STDERR_FILENO);
      execve(binary.c_str(), argv.data(), envp.data());
      _exit(127);
    }
    close(log_fd);

    std::unique_ptr<ServerProcess> server(new ServerProcess(pid, port, options));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      if (!server->running()) break;
      if (!options.started_line.empty()) {
        if (server->log().find(options.started_line) != std::string::npos) return server;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        continue;
      }
      httplib::Client c("127.0.0.1", port);
      c.set_connection_timeout(std::chrono::seconds(1));
      if (auto res = c.Get("/health"); res && res->status == 200) return server;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    last_error =
        fmt::format("the server did not come up on port {}; its log:\n{}", port, server->log());
  }
  throw std::runtime_error(last_error);
}

ServerProcess::~ServerProcess() {
  if (running()) {
    kill(pid_, SIGKILL);
    wait_exit(std::chrono::seconds(30));
  }
}

std::unique_ptr<httplib::Client> ServerProcess::client() const {
  auto c = std::make_unique<httplib::Client>("127.0.0.1", port_);
  c->set_connection_timeout(std::chrono::seconds(5));
  c->set_read_timeout(std::chrono::seconds(60));
  c->set_write_timeout(std::chrono::seconds(60));
  if (const auto it = options_.env.find("AUTH_TOKEN"); it != options_.env.end()) {
    c->set_bearer_token_auth(it->second.c_str());
  }
  return c;
}

void ServerProcess::send_signal(int signal) const {
  kill(pid_, signal);
}

std::optional<int> ServerProcess::wait_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!exit_status_) {
    int status = 0;
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    if (r < 0) {
      exit_status_ = -1;
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return exit_status_;
}

bool ServerProcess::running() {
  return !wait_exit(std::chrono::milliseconds(0)).has_value();
}

std::string ServerProcess::log() const {
  return read_bytes(options_.log_file);
}

}  // namespace docmill::testing
