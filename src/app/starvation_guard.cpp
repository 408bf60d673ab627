#include "app/starvation_guard.h"

#include <condition_variable>
#include <mutex>

#include <spdlog/spdlog.h>

namespace docmill {

void StarvationGuard::start() {
  thread_ = std::jthread([this](std::stop_token stop) {
    std::mutex mu;
    std::condition_variable_any cv;
    while (!stop.stop_requested()) {
      auto promoted = store_.promote_starved(limit_);
      if (!promoted) {
        spdlog::warn("{}", promoted.error().message);
      } else if (*promoted > 0) {
        spdlog::info("{} low-priority jobs waited over {} s; now served as normal", *promoted,
                     limit_.count());
      }
      std::unique_lock lock(mu);
      cv.wait_for(lock, stop, every_, [] { return false; });
    }
  });
}

}  // namespace docmill
