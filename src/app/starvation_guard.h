#pragma once
// DOCMILL_STARVATION_SECONDS: a thread that, every few seconds, has the store serve as normal
// the low-priority jobs that waited longer than the limit, so that `low` never starves behind a
// steady stream of normal and high jobs.
#include <chrono>
#include <thread>

#include "jobs/job_store.h"

namespace docmill {

class StarvationGuard {
 public:
  StarvationGuard(JobStore& store, std::chrono::seconds limit,
                  std::chrono::milliseconds every = std::chrono::seconds(5))
      : store_(store), limit_(limit), every_(every) {}
  StarvationGuard(const StarvationGuard&) = delete;
  StarvationGuard& operator=(const StarvationGuard&) = delete;

  void start();

 private:
  JobStore& store_;
  std::chrono::seconds limit_;
  std::chrono::milliseconds every_;
  std::jthread thread_;  // last: stopped and joined first
};

}  // namespace docmill
