#include "cli/serve_command.h"

#include <csignal>
#include <map>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/app.h"
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

int serve(const SettingValues& flags) {
  SettingValues values = settings_from_env(process_env());
  for (const auto& [name, value] : flags) values[name] = value;  // the flag wins
  auto config = make_serve_config(values);
  if (!config) {
    fmt::print(stderr, "docmill serve: {}\n", config.error().message);
    return 2;
  }
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

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "serve", "Serve the HTTP API with its embedded workers (settings: flags or environment)");
  // Every setting is a flag named like its environment variable; values stay text here and
  // are parsed once, with the environment's, by make_serve_config.
  auto flags = std::make_shared<std::map<std::string, std::string>>();
  auto options = std::make_shared<std::map<std::string, CLI::Option*>>();
  for (const auto& s : serve_settings()) {
    auto& slot = (*flags)[std::string(s.env)];
    (*options)[std::string(s.env)] =
        cmd->add_option(fmt::format("--{}", s.flag), slot,
                        fmt::format("{} [env {}, default {}]", s.help, s.env, s.default_text));
  }
  cmd->callback([flags, options, &exit_code] {
    SettingValues given;
    for (const auto& [env, opt] : *options) {
      if (opt->count() > 0) given[env] = flags->at(env);
    }
    exit_code = serve(given);
  });
}

}  // namespace docmill
