// queue_bench --store LOCATOR [--units 10000] [--workers 8] [--pages 100] — the queue's own
// cost per unit: queues UNITS tiny synthetic page units (jobs of PAGES pages), then WORKERS
// threads, each with a store of its own (as separate worker processes have), claim and
// complete them until none is left, assembly units included. Nothing is read: the time is all
// the store's. Prints the units done, the wall time, units a second and the milliseconds a
// unit costs one worker (wall time x workers / units). LOCATOR: sqlite:/path/file.db (a fresh
// file) or postgresql://... (an empty database).
#include <atomic>
#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "jobs/store_locator.h"

namespace {

using namespace docmill;
using Clock = std::chrono::steady_clock;

constexpr auto kLease = std::chrono::minutes(10);
constexpr int kMaxAttempts = 3;

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"queue_bench: claim and complete tiny units through a job store"};
  std::string locator;
  int units = 10'000;
  int workers = 8;
  int pages = 100;
  app.add_option("--store", locator, "sqlite:/path/file.db or postgresql://...")->required();
  app.add_option("--units", units)->check(CLI::PositiveNumber);
  app.add_option("--workers", workers)->check(CLI::Range(1, 256));
  app.add_option("--pages", pages)->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);

  auto store = open_job_store(locator);
  if (!store) {
    std::cerr << "queue_bench: " << store.error().message << "\n";
    return 2;
  }
  // Jobs of `pages` page units each (plus their assembly units) until `units` page units.
  const int jobs = (units + pages - 1) / pages;
  std::vector<int> indices(static_cast<size_t>(pages));
  for (int i = 0; i < pages; ++i) indices[static_cast<size_t>(i)] = i;
  for (int j = 0; j < jobs; ++j) {
    Job job;
    job.job_id = fmt::format("bench{:06}", j);
    job.filename = "bench.pdf";
    job.total_pages = pages;
    job.options.lang = "eng";
    job.options.dpi = 300;
    if (auto s = (*store)->create_job(job, indices); !s) {
      std::cerr << "queue_bench: " << s.error().message << "\n";
      return 2;
    }
  }

  std::atomic<long long> done{0};
  std::atomic<int> errors{0};
  const auto started = Clock::now();
  {
    std::vector<std::jthread> threads;
    for (int w = 0; w < workers; ++w) {
      threads.emplace_back([&, w] {
        auto own = open_job_store(locator);
        if (!own) {
          ++errors;
          return;
        }
        const std::string id = fmt::format("bench:{}", w);
        for (;;) {
          auto claim = (*own)->claim_next(id, kLease, kMaxAttempts);
          if (!claim) {
            ++errors;
            continue;
          }
          if (!*claim) return;
          const WorkClaim& c = **claim;
          if (c.is_assembly()) {
            if (!(*own)->finish_job(c.job_id, JobStatus::kCompleted, std::nullopt)) ++errors;
          } else if (!(*own)->complete_page(c, id, std::nullopt, {"ocr", 1.0})) {
            ++errors;
          }
          ++done;
        }
      });
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  const long long n = done.load();
  fmt::print(
      "{} units ({} pages + {} assemblies) by {} workers in {:.2f} s: {:.0f} units/s, "
      "{:.2f} ms a unit per worker, {} errors\n",
      n, static_cast<long long>(jobs) * pages, jobs, workers, seconds,
      static_cast<double>(n) / seconds, seconds * 1000.0 * workers / static_cast<double>(n),
      errors.load());
  return errors.load() == 0 ? 0 : 1;
}
