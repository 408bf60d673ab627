#include "app/starvation_guard.h"

#include <spdlog/spdlog.h>

#include "core/stop_wait.h"

namespace docmill {

void StarvationGuard::start() {
  thread_ = std::jthread([this](std::stop_token stop) {
    do {
      auto promoted = store_.promote_starved(limit_);
      if (!promoted) {
        spdlog::warn("{}", promoted.error().message);
      } else if (*promoted > 0) {
        spdlog::info("{} low-priority jobs waited over {} s; now served as normal", *promoted,
                     limit_.count());
      }
    } while (wait_unless_stopped(stop, every_));
  });
}

}  // namespace docmill
