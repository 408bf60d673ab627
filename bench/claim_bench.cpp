// claim_bench [--jobs 1000] [--pages 100] [--claims 2000] [--in-flight 2] [--store URL] — how
// long one claim_next takes on a deep queue. Opens a SqliteJobStore in a fresh temporary
// directory (or, with --store postgresql://..., that database, emptied of jobs first),
// queues JOBS jobs of PAGES pages each, then runs CLAIMS claim_next calls the way the server's
// workers do: IN_FLIGHT units are held at a time (as many as workers), and each new claim is
// followed by completing the oldest held one, so the fair-share ordering sees jobs with units
// in flight. Prints the median and p99 of the claim time in microseconds, then the same for one
// job of PAGES pages, for comparison: the claim is meant to stay one indexed query whose cost
// does not grow with the queue.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <exception>
#include <filesystem>
#include <iostream>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "jobs/postgres_job_store.h"
#include "jobs/sqlite_job_store.h"

namespace {

using namespace docmill;
using Clock = std::chrono::steady_clock;

constexpr auto kLease = std::chrono::minutes(10);  // never runs out during the run
constexpr int kMaxAttempts = 3;

struct Settings {
  int jobs = 1000;
  int pages = 100;
  int claims = 2000;
  int in_flight = 2;
};

struct Figures {
  int claims = 0;
  double median_us = 0;
  double p99_us = 0;
  double max_us = 0;
  double queue_seconds = 0;  // time taken to queue the jobs
};

// A fresh directory, removed (with the database in it) when the run ends.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "claim_bench.XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot make a temp dir");
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

double percentile(std::vector<double> sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(rank, sorted.size() - 1)];
}

// The store a run uses: a fresh SQLite file, or the PostgreSQL database at `url` with no jobs.
Result<std::unique_ptr<JobStore>> open_empty(const std::string& url, const ScratchDir& dir) {
  if (url.empty()) {
    auto opened = SqliteJobStore::open(dir.path() / "task_status.db");
    if (!opened) return std::unexpected(std::move(opened.error()));
    return std::unique_ptr<JobStore>(std::move(*opened));
  }
  auto opened = PostgresJobStore::open(url);
  if (!opened) return std::unexpected(std::move(opened.error()));
  auto jobs = (*opened)->list_jobs(std::nullopt);
  if (!jobs) return std::unexpected(std::move(jobs.error()));
  for (const auto& job : *jobs) {
    if (auto gone = (*opened)->delete_job(job.job_id); !gone) {
      return std::unexpected(std::move(gone.error()));
    }
  }
  return std::unique_ptr<JobStore>(std::move(*opened));
}

Result<Figures> run(const std::string& url, int jobs, int pages, int claims, int in_flight) {
  ScratchDir dir;
  auto opened = open_empty(url, dir);
  if (!opened) return std::unexpected(std::move(opened.error()));
  JobStore& store = **opened;

  Figures fig;
  std::vector<int> indices(static_cast<size_t>(pages));
  std::iota(indices.begin(), indices.end(), 0);
  const auto queue_start = Clock::now();
  for (int j = 0; j < jobs; ++j) {
    Job job;
    job.job_id = fmt::format("bench-{:06}", j);
    job.filename = "scan.pdf";
    job.total_pages = pages;
    job.options.force_ocr = true;
    if (auto s = store.create_job(job, indices); !s) return std::unexpected(std::move(s.error()));
  }
  fig.queue_seconds = std::chrono::duration<double>(Clock::now() - queue_start).count();

  // Held units, oldest first, each with the worker id that claimed it.
  std::deque<std::pair<WorkClaim, std::string>> held;
  const auto release_oldest = [&]() -> Status {
    auto [claim, worker] = std::move(held.front());
    held.pop_front();
    if (claim.is_assembly()) return store.finish_job(claim.job_id, JobStatus::kCompleted, {});
    auto done = store.complete_page(claim, worker, std::nullopt, {"text_layer", 10});
    if (!done) return std::unexpected(std::move(done.error()));
    return {};
  };

  std::vector<double> times_us;
  times_us.reserve(static_cast<size_t>(claims));
  for (int i = 0; i < claims; ++i) {
    const std::string worker = fmt::format("bench-worker-{}", i % in_flight);
    const auto start = Clock::now();
    auto claim = store.claim_next(worker, kLease, kMaxAttempts);
    const auto took = Clock::now() - start;
    if (!claim) return std::unexpected(std::move(claim.error()));
    if (!claim->has_value()) {
      // Nothing open: the held units must finish first (the last pages before an assembly).
      if (held.empty()) break;
      if (auto s = release_oldest(); !s) return std::unexpected(std::move(s.error()));
      continue;
    }
    times_us.push_back(std::chrono::duration<double, std::micro>(took).count());
    held.emplace_back(std::move(**claim), worker);
    if (static_cast<int>(held.size()) >= in_flight) {
      if (auto s = release_oldest(); !s) return std::unexpected(std::move(s.error()));
    }
  }

  std::sort(times_us.begin(), times_us.end());
  fig.claims = static_cast<int>(times_us.size());
  fig.median_us = percentile(times_us, 0.5);
  fig.p99_us = percentile(times_us, 0.99);
  fig.max_us = times_us.empty() ? 0 : times_us.back();
  return fig;
}

void print(const std::string& label, int jobs, int pages, const Figures& f) {
  fmt::print(
      "{:<28} {:>6} jobs x {:>4} pages = {:>7} units: {:>5} claims, median {:>8.1f} us, "
      "p99 {:>8.1f} us, max {:>8.1f} us (queued in {:.1f} s)\n",
      label, jobs, pages, jobs * pages, f.claims, f.median_us, f.p99_us, f.max_us, f.queue_seconds);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Times JobStore::claim_next on a deep queue (SQLite, or PostgreSQL)."};
  Settings s;
  std::string url;
  app.add_option("--store", url, "a PostgreSQL database (postgresql://...); unset: SQLite");
  app.add_option("--jobs", s.jobs, "jobs queued")->check(CLI::PositiveNumber);
  app.add_option("--pages", s.pages, "pages per job")->check(CLI::PositiveNumber);
  app.add_option("--claims", s.claims, "claims timed")->check(CLI::PositiveNumber);
  app.add_option("--in-flight", s.in_flight, "units held at once (the workers)")
      ->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);

  try {
    auto deep = run(url, s.jobs, s.pages, s.claims, s.in_flight);
    if (!deep) {
      std::cerr << "claim_bench: " << deep.error().message << "\n";
      return 1;
    }
    print("deep queue", s.jobs, s.pages, *deep);
    auto one = run(url, 1, s.pages, std::min(s.claims, s.pages), s.in_flight);
    if (!one) {
      std::cerr << "claim_bench: " << one.error().message << "\n";
      return 1;
    }
    print("one job (comparison)", 1, s.pages, *one);
    fmt::print("p99 ratio deep / one job: {:.2f} (flat: near 1)\n",
               one->p99_us > 0 ? deep->p99_us / one->p99_us : 0.0);
  } catch (const std::exception& e) {
    std::cerr << "claim_bench: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
