#pragma once
// A counting semaphore whose waits a stop token ends: how many threads may use a core at once
// when more threads than cores hold units (the VLM engine keeps many pages waiting on its
// model server, and only their rendering and layout need a core), and how many event streams
// the HTTP server holds open (try_acquire: a stream beyond the cap is refused, not queued).
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>

namespace docmill {

class Slots {
 public:
  explicit Slots(int count) : count_(count), free_(count) {}
  Slots(const Slots&) = delete;
  Slots& operator=(const Slots&) = delete;

  // Waits for a free slot and takes it; false (nothing taken) once `stop` is requested.
  bool acquire(std::stop_token stop);
  // Takes a free slot if there is one, without waiting.
  bool try_acquire();
  void release();
  // Waits until every slot is free again, at most `timeout`; false when some are still taken.
  bool wait_all_free(std::chrono::milliseconds timeout);

 private:
  std::mutex mu_;
  std::condition_variable_any freed_;
  const int count_;
  int free_;  // guarded by mu_
};

}  // namespace docmill
