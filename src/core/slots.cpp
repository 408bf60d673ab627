#include "core/slots.h"

namespace docmill {

bool Slots::acquire(std::stop_token stop) {
  std::unique_lock lock(mu_);
  if (!freed_.wait(lock, stop, [&] { return free_ > 0; })) return false;
  --free_;
  return true;
}

bool Slots::try_acquire() {
  std::lock_guard lock(mu_);
  if (free_ <= 0) return false;
  --free_;
  return true;
}

void Slots::release() {
  {
    std::lock_guard lock(mu_);
    ++free_;
  }
  // Both a waiter for one slot and one for all of them may be waiting.
  freed_.notify_all();
}

bool Slots::wait_all_free(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return freed_.wait_for(lock, timeout, [&] { return free_ == count_; });
}

}  // namespace docmill
