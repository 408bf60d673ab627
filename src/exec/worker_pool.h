#pragma once
// The embedded workers of `docmill serve`: N threads, each with its own MuPDF context,
// Tesseract engine and page processor, claiming units from the store first in, first out.
//
// Idle workers sleep until an upload notifies them, or until a short poll finds work another
// process queued or a crashed one left behind (its leases ran out).
//
// Cancelling a job (DELETE) stops its running units and waits until no worker is inside it.
// Stopping (SIGTERM) closes claims, lets running units finish within a grace period, then
// stops them; an unfinished unit keeps its claim until the lease runs out, and the next
// process takes it over.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "blobs/blob_store.h"
#include "blobs/job_paths.h"
#include "core/slots.h"
#include "exec/lease_keeper.h"
#include "exec/running_units.h"
#include "exec/work_control.h"
#include "jobs/job_store.h"
#include "layout/page_model.h"
#include "ocr/ocr_engine_pool.h"
#include "pipeline/page_limits.h"
#include "vlm/vlm_engine.h"

namespace docmill {

struct WorkerPoolOptions {
  int workers = 1;
  std::string langs = "eng";  // preloaded by every worker
  std::chrono::milliseconds lease{60'000};
  std::chrono::milliseconds idle_poll{500};
  int max_attempts = 3;
  // Told when a worker starts a unit (the claim) and when it ends it (nullptr): how a worker
  // process tells its supervisor what it holds. Called on the worker's thread.
  std::function<void(int worker, const WorkClaim* claim)> on_unit{};
  PageLimits limits{};
  std::string worker_id_prefix;  // "<host>:<pid>"; a worker's id is "<prefix>:<n>"
  // The model server, when one is configured: pages of jobs on the VLM engine go there.
  VlmSettings vlm{};
  // Threads that may use a core at once (render, OCR, layout); 0: as many as `workers`. With
  // the VLM engine, `workers` is the requests in flight and most threads wait on the server.
  int cores = 0;
  // Told when a worker starts waiting (for a core or the model server) and when it works
  // again: a supervisor applies time limits and blames crashes only on working units.
  std::function<void(int worker, bool waiting)> on_wait{};
  // Told when a worker has read a page and the store counted it, before its on_unit(nullptr):
  // how a worker process tells its supervisor what the metrics count.
  std::function<void(int worker, const PageResult& page)> on_page{};
};

class WorkerPool final : public WorkControl {
 public:
  WorkerPool(JobStore& store, BlobStore& blobs, JobPaths paths, WorkerPoolOptions options);
  ~WorkerPool() override;
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void start();
  // Wakes idle workers: new work was queued.
  void notify_work() override;
  void cancel_job(std::string_view job_id) override;
  int ready_workers() const override { return ready_.load(); }
  WorkerOccupancy occupancy() const override;
  // Waits until a worker is ready, or every worker has tried to load its engine and failed,
  // or `timeout` passes; returns ready_workers().
  int wait_ready(std::chrono::milliseconds timeout);
  // Idempotent. Returns once every worker has ended.
  void stop(std::chrono::milliseconds grace);

 private:
  void run_worker(int index);
  // Logs a job's start once per process (the store turns it processing on its first claim).
  void note_job_running(const WorkClaim& claim);
  void wait_for_work(std::uint64_t& seen);
  // A worker starts or stops waiting (for a core or the model server). Once stopping, a unit
  // that waits is stopped at once: an answer may take minutes, and the next server takes the
  // page over (its claim is released at start, uncounted).
  void on_wait(int index, const std::string& worker_id, bool waiting);
  void stop_waiting_units();

  JobStore& store_;
  BlobStore& blobs_;
  JobPaths paths_;
  WorkerPoolOptions options_;
  RunningUnits units_;
  LeaseKeeper keeper_;
  OcrEnginePool engines_;
  std::optional<Slots> cores_;      // set when fewer cores than workers
  std::unique_ptr<VlmEngine> vlm_;  // set when a model server is configured
  std::stop_source draining_;

  std::mutex mu_;
  std::condition_variable_any work_;  // notified on new work
  std::condition_variable exited_;    // notified when a worker ends
  std::uint64_t generation_ = 0;      // guarded by mu_; bumped on new work
  int live_workers_ = 0;              // guarded by mu_
  int initialised_ = 0;               // guarded by mu_; workers past loading their engine
  std::condition_variable init_done_;
  std::set<std::string, std::less<>> running_jobs_;  // guarded by mu_
  std::set<std::string, std::less<>> waiting_;       // guarded by mu_; worker ids that wait
  std::atomic<int> ready_{0};
  bool started_ = false;
  bool stopped_ = false;
  std::vector<std::jthread> threads_;
  // Wakes idle workers when another process queues work (JobStore::watch_for_work).
  std::jthread work_watch_;
};

}  // namespace docmill
