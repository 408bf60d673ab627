#pragma once
// The worker processes of `docmill serve`. The server never parses a PDF itself: each slot runs
// one `docmill worker-process` child that claims units from the store on its own. A thread per slot
// reads what its worker says (which unit it holds), enforces the limits from outside (the
// page time limit, resident memory), and when the worker dies, fails or retries exactly the
// unit it held and starts a fresh worker:
//
//   died holding a unit, first time  -> the unit is opened again, and tried on the new worker
//   died on it again                 -> the page fails: "page 2 crashed the worker (SIGSEGV)"
//   past the time or memory limit    -> the page fails, naming the limit (no second try)
//
// A worker on the VLM engine holds many units, most waiting on the model server; only those
// working (rendering, laying out) when it died are blamed, the others are reopened uncounted.
//
// The rest of the job goes on. DELETE asks every worker to stop the job's units and waits for
// each to confirm (killing one that does not answer in time); SIGTERM asks them to drain.
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "core/change_signal.h"
#include "core/metrics.h"
#include "exec/child_process.h"
#include "exec/work_control.h"
#include "exec/worker_process.h"
#include "jobs/job_store.h"

namespace docmill {

struct SupervisorOptions {
  int workers = 1;
  std::filesystem::path binary;      // this docmill, run as `docmill worker-process`
  WorkerProcessOptions worker;       // what each worker is started with (its id is set per start)
  long long memory_limit_bytes = 0;  // per worker, address space and resident; 0: none
  // How long an assembly unit may run (it writes every page's outputs): a multiple of the
  // page time limit.
  int assembly_timeout_factor = 10;
  // After the page time limit, how long the worker has to stop the page itself before it is
  // killed.
  std::chrono::milliseconds kill_after{10'000};
  std::chrono::milliseconds cancel_wait{10'000};
  // Told whenever a job's row may have changed: a unit started (its job is processing) or ended
  // (a page counted, the job completed or failed), here or in a worker that died holding it.
  // The server's event streams wait on it rather than only polling the store. Optional.
  ChangeSignal* job_changes = nullptr;
};

class WorkerSupervisor final : public WorkControl {
 public:
  // `metrics` counts the pages the workers report reading.
  WorkerSupervisor(JobStore& store, Metrics& metrics, SupervisorOptions options);
  ~WorkerSupervisor() override;
  WorkerSupervisor(const WorkerSupervisor&) = delete;
  WorkerSupervisor& operator=(const WorkerSupervisor&) = delete;

  void start();
  void notify_work() override;
  void cancel_job(std::string_view job_id) override;
  int ready_workers() const override;
  // Units held by the workers (busy), and the threads of ready workers that hold none (idle).
  WorkerOccupancy occupancy() const override;
  // Waits until a worker is ready or `timeout` passes; returns ready_workers().
  int wait_ready(std::chrono::milliseconds timeout);
  // Asks every worker to drain within `grace`, kills those still running after it, and returns
  // once every slot has ended. Idempotent.
  void stop(std::chrono::milliseconds grace);

 private:
  struct Held {
    std::string worker_id;
    WorkClaim claim;
    std::chrono::steady_clock::time_point since;  // of the unit, or of its current work
    bool waiting = false;  // on a core or the model server: no time limit, no blame
  };
  // One worker process and what it is doing; guarded by mu_ except `child`'s reading end,
  // which only the slot's own thread uses.
  struct Slot {
    int index = 0;
    std::unique_ptr<ChildProcess> child;
    bool ready = false;
    std::string worker_id;                               // of the running worker process
    std::map<std::string, Held, std::less<>> held;       // by worker thread id
    std::set<std::string, std::less<>> awaiting_cancel;  // jobs it has not confirmed yet
    std::string limit_cause;  // set when the slot killed its worker at a limit
    std::jthread thread;
  };

  void run_slot(Slot& slot, std::stop_token stop);
  // Reads and acts on the worker's lines until its output ends.
  void watch(Slot& slot, std::stop_token stop);
  void on_line(Slot& slot, std::string_view line);
  // Kills the worker when its unit is past the time limit or it is past the memory limit.
  void enforce_limits(Slot& slot);
  // The worker ended: fails or reopens the units it held.
  void on_exit(Slot& slot, const ChildExit& exit);
  // Fails or retries a unit that was working when its worker died (`cause`: a limit, if any).
  void blame(const Held& held, const ChildExit& exit, std::string cause);
  // What slot `index`'s worker is started with: its share of the model requests in flight.
  WorkerProcessOptions worker_options(int index) const;
  // RLIMIT_AS of a worker: its memory, plus the stacks of threads that wait on a model server.
  long long address_space_limit() const;
  // Settings a worker reads from its environment rather than its command line (visible in ps).
  std::vector<std::string> worker_env() const;
  std::chrono::milliseconds time_limit(const WorkClaim& claim) const;
  void broadcast(std::string_view line);

  JobStore& store_;
  Metrics& metrics_;
  SupervisorOptions options_;
  mutable std::mutex mu_;
  std::condition_variable changed_;  // a slot's state changed
  std::vector<std::unique_ptr<Slot>> slots_;
  int generation_ = 0;  // guarded by mu_; numbers worker starts for unique ids
  bool stopping_ = false;
  std::chrono::steady_clock::time_point stop_deadline_;  // guarded by mu_
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace docmill
