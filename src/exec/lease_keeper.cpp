#include "exec/lease_keeper.h"

#include <spdlog/spdlog.h>

namespace docmill {

void LeaseKeeper::start() {
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void LeaseKeeper::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

void LeaseKeeper::run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    {
      std::unique_lock lock(mu_);
      wake_.wait_for(lock, stop, every_, [] { return false; });
    }
    if (stop.stop_requested()) return;
    renew_all();
  }
}

void LeaseKeeper::renew_all() {
  for (const auto& held : units_.snapshot()) {
    auto renewed = store_.renew_lease(held.claim, held.worker_id, lease_);
    if (!renewed) {
      // Transient (a locked database): the next beat tries again, well within the lease.
      spdlog::warn("{}: cannot renew the lease: {}", describe_unit(held.claim),
                   renewed.error().message);
    } else if (!*renewed) {
      spdlog::warn("{}: lease lost (job deleted or unit taken over); stopping it",
                   describe_unit(held.claim));
      units_.stop_unit(held.id);
    }
  }
}

}  // namespace docmill
