#include "cli/worker_process_command.h"

#include <cstdlib>
#include <memory>
#include <utility>

#include "cli/vlm_flags.h"
#include "exec/worker_process.h"

namespace docmill {

void add_worker_process_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("worker-process", "A worker process of docmill serve");
  cmd->group("");  // hidden from --help
  struct Args {
    WorkerProcessOptions options;
    long long lease_ms = 60'000;
    long long page_timeout_ms = 120'000;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("--store", args->options.store)->required();
  cmd->add_option("--data-dir", args->options.data_dir)->required();
  cmd->add_option("--langs", args->options.langs);
  cmd->add_option("--id", args->options.id)->required();
  cmd->add_option("--lease-ms", args->lease_ms)->check(CLI::PositiveNumber);
  cmd->add_option("--max-render-pixels", args->options.limits.max_render_pixels)
      ->check(CLI::PositiveNumber);
  cmd->add_option("--page-timeout-ms", args->page_timeout_ms)->check(CLI::PositiveNumber);
  cmd->add_option("--threads", args->options.threads)->check(CLI::Range(1, 1024));
  cmd->add_option("--cores", args->options.cores)->check(CLI::Range(0, 1024));
  add_vlm_flags(cmd, args->options.vlm, false);
  cmd->add_option("--s3-endpoint", args->options.s3.endpoint);
  cmd->add_option("--s3-bucket", args->options.s3.bucket);
  cmd->add_option("--s3-region", args->options.s3.region);
  cmd->callback([args, &exit_code] {
    // The object store's keys, from the environment the supervisor gave (worker_env).
    for (auto [name, into] :
         {std::pair{"DOCMILL_S3_ACCESS_KEY_ID", &args->options.s3.access_key_id},
          std::pair{"DOCMILL_S3_SECRET_ACCESS_KEY", &args->options.s3.secret_access_key}}) {
      if (const char* v = std::getenv(name); v != nullptr) *into = v;
    }
    args->options.lease = std::chrono::milliseconds(args->lease_ms);
    args->options.limits.timeout = std::chrono::milliseconds(args->page_timeout_ms);
    exit_code = run_worker_process(args->options);
  });
}

}  // namespace docmill
