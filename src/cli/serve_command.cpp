#include "cli/serve_command.h"

#include <csignal>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/app.h"
#include "app/worker_node.h"
#include "core/config.h"

namespace docmill {
namespace {

// Blocks SIGTERM and SIGINT in this thread before any other starts, so every thread inherits
// the mask and the signals wait, queued, for sigwait() below: no handler runs at an arbitrary
// point, and no global flag is needed.
sigset_t block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // A client that hangs up mid-response must not kill the server.
  std::signal(SIGPIPE, SIG_IGN);
  return set;
}

// The settings from the environment, then the flags given (the flag wins).
SettingValues with_env(const SettingValues& flags) {
  SettingValues values = settings_from_env(process_env());
  for (const auto& [name, value] : flags) values[name] = value;
  return values;
}

int serve(const SettingValues& flags, bool run_workers) {
  const SettingValues values = with_env(flags);
  auto config = make_serve_config(values);
  if (!config) {
    fmt::print(stderr, "docmill serve: {}\n", config.error().message);
    return 2;
  }
  config->run_workers = run_workers;
  if (values.contains("AUTH_TOKEN") && !config->auth_token) {
    spdlog::warn("AUTH_TOKEN is set but empty: authentication is off");
  }
  const sigset_t signals = block_stop_signals();
  auto app = App::create(*config);
  if (!app) {
    fmt::print(stderr, "docmill serve: {}\n", app.error().message);
    return 2;
  }
  if (auto started = (*app)->start(); !started) {
    fmt::print(stderr, "docmill serve: {}\n", started.error().message);
    return 2;
  }
  int signal = 0;
  sigwait(&signals, &signal);
  spdlog::info("received {}", signal == SIGTERM ? "SIGTERM" : "SIGINT");
  (*app)->stop();
  return 0;
}

int work(const SettingValues& flags) {
  auto config = make_serve_config(with_env(flags));
  if (!config) {
    fmt::print(stderr, "docmill worker: {}\n", config.error().message);
    return 2;
  }
  const sigset_t signals = block_stop_signals();
  auto node = WorkerNode::create(*config);
  if (!node) {
    fmt::print(stderr, "docmill worker: {}\n", node.error().message);
    return 2;
  }
  (*node)->start();
  int signal = 0;
  sigwait(&signals, &signal);
  spdlog::info("received {}; draining", signal == SIGTERM ? "SIGTERM" : "SIGINT");
  (*node)->stop();
  return 0;
}

// Every setting as a flag named like its environment variable; values stay text here and are
// parsed once, with the environment's, by make_serve_config. Returns the flags given.
std::function<SettingValues()> add_setting_flags(CLI::App* cmd) {
  auto flags = std::make_shared<std::map<std::string, std::string>>();
  auto options = std::make_shared<std::map<std::string, CLI::Option*>>();
  for (const auto& s : serve_settings()) {
    auto& slot = (*flags)[std::string(s.env)];
    (*options)[std::string(s.env)] =
        cmd->add_option(fmt::format("--{}", s.flag), slot,
                        fmt::format("{} [env {}, default {}]", s.help, s.env, s.default_text));
  }
  return [flags, options] {
    SettingValues given;
    for (const auto& [env, opt] : *options) {
      if (opt->count() > 0) given[env] = flags->at(env);
    }
    return given;
  };
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "serve", "Serve the HTTP API with its embedded workers (settings: flags or environment)");
  auto given = add_setting_flags(cmd);
  auto no_workers = std::make_shared<bool>(false);
  cmd->add_flag("--no-workers", *no_workers,
                "an API node only: `docmill worker` machines read the pages, on the same "
                "DOCMILL_DATABASE_URL and DOCMILL_DATA_DIR");
  cmd->callback([given, no_workers, &exit_code] { exit_code = serve(given(), !*no_workers); });
}

void add_worker_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "worker",
      "Run worker processes only, for the API nodes of `docmill serve --no-workers` (the same "
      "settings: DOCMILL_DATABASE_URL, DOCMILL_DATA_DIR, DOCMILL_WORKERS, the limits)");
  auto given = add_setting_flags(cmd);
  cmd->callback([given, &exit_code] { exit_code = work(given()); });
}

}  // namespace docmill
