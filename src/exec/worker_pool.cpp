#include "exec/worker_pool.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include <fmt/format.h>

#include "exec/unit_runner.h"
#include "pdf/mupdf_context.h"

namespace docmill {
namespace {

// Four beats per lease: a stalled database or a slow beat still leaves three chances. At most
// two seconds apart: a renewal that finds its unit gone stops it, and that is how a DELETE on
// an API node of another machine reaches this worker.
std::chrono::milliseconds beat_for(std::chrono::milliseconds lease) {
  return std::clamp(lease / 4, std::chrono::milliseconds(250), std::chrono::milliseconds(2'000));
}

}  // namespace

WorkerPool::WorkerPool(JobStore& store, BlobStore& blobs, JobPaths paths, WorkerPoolOptions options)
    : store_(store),
      blobs_(blobs),
      paths_(std::move(paths)),
      options_(std::move(options)),
      keeper_(store_, units_, options_.lease, beat_for(options_.lease)),
      engines_(options_.cores > 0 ? std::min(options_.cores, options_.workers) : options_.workers) {
  if (options_.cores > 0 && options_.cores < options_.workers) cores_.emplace(options_.cores);
  if (options_.vlm.configured()) vlm_ = std::make_unique<VlmEngine>(options_.vlm);
}

WorkerPool::~WorkerPool() {
  stop(std::chrono::milliseconds(0));
}

void WorkerPool::start() {
  if (started_) return;
  started_ = true;
  keeper_.start();
  {
    std::lock_guard lock(mu_);
    live_workers_ = options_.workers;
  }
  threads_.reserve(static_cast<size_t>(options_.workers));
  // The jthreads' own stop tokens are not used: ~jthread would request a stop before joining,
  // and stopping is decided by stop() (draining_, then the units' stop sources).
  for (int i = 0; i < options_.workers; ++i) threads_.emplace_back([this, i] { run_worker(i); });
  work_watch_ = std::jthread(
      [this](std::stop_token stop) { store_.watch_for_work([this] { notify_work(); }, stop); });
}

int WorkerPool::wait_ready(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  init_done_.wait_for(lock, timeout,
                      [&] { return ready_.load() > 0 || initialised_ >= options_.workers; });
  return ready_.load();
}

WorkerOccupancy WorkerPool::occupancy() const {
  const int busy = static_cast<int>(units_.size());
  return {.busy = busy, .idle = std::max(0, ready_.load() - busy)};
}

void WorkerPool::notify_work() {
  {
    std::lock_guard lock(mu_);
    ++generation_;
  }
  work_.notify_all();
}

void WorkerPool::cancel_job(std::string_view job_id) {
  units_.cancel_job_and_wait(job_id);
  std::lock_guard lock(mu_);
  if (auto it = running_jobs_.find(job_id); it != running_jobs_.end()) running_jobs_.erase(it);
}

void WorkerPool::note_job_running(const WorkClaim& claim) {
  std::lock_guard lock(mu_);
  if (claim.is_assembly()) {
    // The job ends with this unit; its own log line says how.
    if (auto it = running_jobs_.find(claim.job_id); it != running_jobs_.end()) {
      running_jobs_.erase(it);
    }
    return;
  }
  if (running_jobs_.insert(claim.job_id).second) {
    spdlog::info("job {} processing (page {} first, attempt {})", claim.job_id,
                 claim.page_index + 1, claim.attempt);
  }
}

void WorkerPool::wait_for_work(std::uint64_t& seen) {
  std::unique_lock lock(mu_);
  work_.wait_for(lock, draining_.get_token(), options_.idle_poll,
                 [&] { return generation_ != seen; });
  seen = generation_;
}

void WorkerPool::run_worker(int index) {
  const std::string worker_id = fmt::format("{}:{}", options_.worker_id_prefix, index);
  // Ends the worker's count however the loop below ends, so stop() never waits for a worker
  // that could not start.
  struct Exit {
    WorkerPool& pool;
    ~Exit() {
      {
        std::lock_guard lock(pool.mu_);
        --pool.live_workers_;
      }
      pool.exited_.notify_all();
    }
  } on_exit{*this};

  // Many threads, few of them drawing at once: each context caches less, so that the process's
  // memory does not grow with the requests in flight.
  auto ctx = MupdfContext::create(
      store_bytes_for(options_.workers, cores_ ? options_.cores : options_.workers));
  if (!ctx) {
    spdlog::error("worker {}: cannot create a MuPDF context: {}", worker_id, ctx.error().message);
    {
      std::lock_guard lock(mu_);
      ++initialised_;
    }
    init_done_.notify_all();
    return;
  }
  if (auto loaded = engines_.preload(options_.langs); !loaded) {
    spdlog::error("worker {}: cannot load the OCR models for '{}': {}", worker_id, options_.langs,
                  loaded.error().message);
  } else {
    ++ready_;
  }
  {
    std::lock_guard lock(mu_);
    ++initialised_;
  }
  init_done_.notify_all();
  CoreTurns turns(cores_ ? &*cores_ : nullptr,
                  [this, index, &worker_id](bool waiting) { on_wait(index, worker_id, waiting); });
  UnitRunner runner(store_, blobs_, paths_, worker_id, *ctx, engines_, options_.limits, vlm_.get(),
                    std::move(turns));
  std::uint64_t seen = 0;
  const auto draining = draining_.get_token();
  while (!draining.stop_requested()) {
    auto ticket = units_.claim(worker_id, [&] {
      return store_.claim_next(worker_id, options_.lease, options_.max_attempts);
    });
    if (!ticket) {
      spdlog::error("worker {}: cannot claim work: {}", worker_id, ticket.error().message);
      wait_for_work(seen);
      continue;
    }
    if (!*ticket) {
      wait_for_work(seen);
      continue;
    }
    note_job_running((*ticket)->claim());
    if (options_.on_unit) options_.on_unit(index, &(*ticket)->claim());
    auto page = runner.run((*ticket)->claim(), (*ticket)->stop_token());
    if (page && options_.on_page) options_.on_page(index, *page);
    if (options_.on_unit) options_.on_unit(index, nullptr);
  }
}

void WorkerPool::on_wait(int index, const std::string& worker_id, bool waiting) {
  if (options_.on_wait) options_.on_wait(index, waiting);
  {
    std::lock_guard lock(mu_);
    if (waiting) {
      waiting_.insert(worker_id);
    } else if (auto it = waiting_.find(worker_id); it != waiting_.end()) {
      waiting_.erase(it);
    }
  }
  if (waiting && draining_.stop_requested()) stop_waiting_units();
}

void WorkerPool::stop_waiting_units() {
  std::set<std::string, std::less<>> waiting;
  {
    std::lock_guard lock(mu_);
    waiting = waiting_;
  }
  for (const auto& held : units_.snapshot()) {
    if (waiting.contains(held.worker_id)) units_.stop_unit(held.id);
  }
}

void WorkerPool::stop(std::chrono::milliseconds grace) {
  if (!started_ || stopped_) return;
  stopped_ = true;
  units_.close();
  draining_.request_stop();
  work_watch_ = {};  // stops and joins the watch (within its poll)
  stop_waiting_units();
  {
    std::unique_lock lock(mu_);
    if (!exited_.wait_for(lock, grace, [&] { return live_workers_ == 0; })) {
      spdlog::warn("{} units still running after {} ms; stopping them", units_.size(),
                   grace.count());
      lock.unlock();
      units_.stop_all();
    }
  }
  for (auto& t : threads_) t.join();
  threads_.clear();
  // Last: the running units' leases were renewed until they ended.
  keeper_.stop();
}

}  // namespace docmill
