// docmill: `serve` (the HTTP API with its workers), `worker` (workers only, for API nodes
// elsewhere), `migrate` (the PostgreSQL schema) and `convert` (one PDF, offline);
// `worker-process` and `probe` are the child processes they start to touch PDFs.
#include <unistd.h>

#include <malloc.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "cli/convert_command.h"
#include "cli/migrate_command.h"
#include "cli/probe_command.h"
#include "cli/serve_command.h"
#include "cli/worker_process_command.h"

namespace {

// Tesseract asks OpenMP for several threads per page, which on a busy machine spins and
// thrashes (measured: 6x slower with two pages at once). docmill runs one page per core
// instead, so OpenMP is capped at one thread. libgomp reads OMP_THREAD_LIMIT only when it is
// loaded, before main, so the process restarts itself once with the variable set.
void cap_openmp_threads(char** argv) {
  if (std::getenv("OMP_THREAD_LIMIT") != nullptr) return;
  setenv("OMP_THREAD_LIMIT", "1", 1);
  execv("/proc/self/exe", argv);
  // If re-executing fails we carry on, only slower.
}

// glibc gives each thread that allocates under contention an arena of its own, up to 8 per
// core, and an arena keeps what its thread freed. On the VLM engine most threads wait on the
// model server, and the page images they encoded stay in their arenas: 64 requests in flight
// on 2 cores peaked at 435 MiB, and at 289 MiB with arenas capped at two per core (same
// throughput).
void cap_malloc_arenas() {
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  mallopt(M_ARENA_MAX, static_cast<int>(2 * cores));
}

}  // namespace

int main(int argc, char** argv) {
  cap_openmp_threads(argv);
  cap_malloc_arenas();
  CLI::App app{"docmill: PDF to markdown, layout and figures, with Tesseract OCR"};
  app.require_subcommand(1);
  int exit_code = 0;
  docmill::add_convert_command(app, exit_code);
  docmill::add_serve_command(app, exit_code);
  docmill::add_worker_process_command(app, exit_code);
  docmill::add_worker_command(app, exit_code);
  docmill::add_migrate_command(app, exit_code);
  docmill::add_probe_command(app, exit_code);
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
