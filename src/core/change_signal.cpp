#include "core/change_signal.h"

namespace docmill {

std::uint64_t ChangeSignal::count() const {
  std::lock_guard lock(mu_);
  return count_;
}

void ChangeSignal::notify() {
  {
    std::lock_guard lock(mu_);
    ++count_;
  }
  changed_.notify_all();
}

std::uint64_t ChangeSignal::wait_past(std::uint64_t seen, std::chrono::milliseconds timeout,
                                      std::stop_token stop) const {
  std::unique_lock lock(mu_);
  changed_.wait_for(lock, stop, timeout, [&] { return count_ != seen; });
  return count_;
}

}  // namespace docmill
