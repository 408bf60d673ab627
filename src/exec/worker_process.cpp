#include "exec/worker_process.h"

#include <unistd.h>

#include <charconv>
#include <iostream>
#include <mutex>
#include <new>
#include <thread>

#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "blobs/blob_store.h"
#include "blobs/job_paths.h"
#include "exec/worker_messages.h"
#include "exec/worker_pool.h"
#include "jobs/store_locator.h"

namespace docmill {
namespace {

// Past the memory limit an allocation fails; unwinding from there through MuPDF or Tesseract
// is not safe, so the worker ends with a status its supervisor reads as "memory limit".
void out_of_memory() {
  static constexpr char kMessage[] =
      "docmill worker-process: out of memory (the worker memory limit)\n";
  [[maybe_unused]] const auto n = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  _exit(kWorkerOutOfMemoryExit);
}

// stdout carries the protocol, from two threads: one line per write, under a lock.
class Reporter {
 public:
  void say(std::string_view line) {
    std::lock_guard lock(mu_);
    std::cout << line << '\n' << std::flush;
  }

 private:
  std::mutex mu_;
};

}  // namespace

int run_worker_process(const WorkerProcessOptions& options) {
  std::set_new_handler(out_of_memory);
  // Logs go to stderr, which the worker shares with the server; stdout is the protocol.
  auto logger = spdlog::stderr_color_mt("worker");
  logger->set_pattern(fmt::format("[%Y-%m-%d %H:%M:%S.%e] [worker {}] [%l] %v", options.id));
  spdlog::set_default_logger(logger);

  auto store = open_job_store(options.store);
  if (!store) {
    spdlog::error("cannot open the job store: {}", store.error().message);
    return 2;
  }
  Reporter reporter;
  WorkerPoolOptions pool_options;
  pool_options.workers = options.threads;
  pool_options.cores = options.cores;
  pool_options.vlm = options.vlm;
  pool_options.langs = options.langs;
  pool_options.lease = options.lease;
  pool_options.worker_id_prefix = options.id;
  pool_options.limits = options.limits;
  pool_options.on_unit = [&](int index, const WorkClaim* claim) {
    const std::string thread = fmt::format("{}:{}", options.id, index);
    reporter.say(claim != nullptr ? worker_messages::unit(thread, *claim) : "idle " + thread);
  };
  pool_options.on_page = [&](int index, const PageResult& page) {
    reporter.say(worker_messages::page(fmt::format("{}:{}", options.id, index), page));
  };
  pool_options.on_wait = [&](int index, bool waiting) {
    reporter.say(fmt::format("{} {}:{}", waiting ? "waiting" : "working", options.id, index));
  };
  const JobPaths paths(options.data_dir);
  const auto blobs = open_blob_store(options.s3, paths);
  WorkerPool pool(**store, *blobs, paths, pool_options);
  pool.start();
  std::jthread readiness([&] {
    const bool ready = pool.wait_ready(std::chrono::minutes(2)) > 0;
    reporter.say(ready ? "ready" : "unready cannot load the OCR models");
  });

  std::chrono::milliseconds grace{0};
  std::string line;
  while (std::getline(std::cin, line)) {
    const auto w = worker_messages::words(line);
    if (w.empty()) continue;
    if (w[0] == "work") {
      pool.notify_work();
    } else if (w[0] == "cancel" && w.size() == 2) {
      pool.cancel_job(w[1]);
      reporter.say(fmt::format("cancelled {}", w[1]));
    } else if (w[0] == "stop") {
      long long ms = 0;
      if (w.size() == 2) std::from_chars(w[1].data(), w[1].data() + w[1].size(), ms);
      grace = std::chrono::milliseconds(ms);
      break;
    }
  }
  // Stopped, or the supervisor is gone (end of input): drain within the grace, then end.
  pool.stop(grace);
  return 0;
}

}  // namespace docmill
