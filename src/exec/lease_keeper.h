#pragma once
// The heartbeat: one thread that renews the lease of every unit this process is running, so a
// long page keeps its claim while a crashed process's claims run out and are taken over. A
// unit whose lease is found lost (the process stalled past it and someone else took the page)
// is stopped: its result would be discarded anyway.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "exec/running_units.h"
#include "jobs/job_store.h"

namespace docmill {

class LeaseKeeper {
 public:
  LeaseKeeper(JobStore& store, RunningUnits& units, std::chrono::milliseconds lease,
              std::chrono::milliseconds every)
      : store_(store), units_(units), lease_(lease), every_(every) {}
  ~LeaseKeeper() { stop(); }
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  void start();
  void stop();
  // Renews every running unit's lease once (the thread's loop body; public for tests).
  void renew_all();

 private:
  void run(std::stop_token stop);

  JobStore& store_;
  RunningUnits& units_;
  std::chrono::milliseconds lease_;
  std::chrono::milliseconds every_;
  std::mutex mu_;
  std::condition_variable_any wake_;
  std::jthread thread_;
};

}  // namespace docmill
