#pragma once
// A count of changes that threads can wait on: one side says "something changed" (notify), the
// others wait until the count has moved past what they last saw, at most for a timeout. The
// count, rather than a flag, means a change made between a waiter's read of the state and its
// wait is never missed. The server's event streams wait on the worker processes' unit starts
// and ends this way, and still poll the store at the timeout.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <stop_token>

namespace docmill {

class ChangeSignal {
 public:
  ChangeSignal() = default;
  ChangeSignal(const ChangeSignal&) = delete;
  ChangeSignal& operator=(const ChangeSignal&) = delete;

  std::uint64_t count() const;
  void notify();
  // Returns the count once it differs from `seen`, `timeout` has passed or `stop` is requested.
  std::uint64_t wait_past(std::uint64_t seen, std::chrono::milliseconds timeout,
                          std::stop_token stop) const;

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable_any changed_;
  std::uint64_t count_ = 0;  // guarded by mu_
};

}  // namespace docmill
