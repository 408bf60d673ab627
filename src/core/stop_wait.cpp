#include "core/stop_wait.h"

#include <condition_variable>
#include <mutex>

namespace docmill {

bool wait_unless_stopped(std::stop_token stop, std::chrono::milliseconds d) {
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  cv.wait_for(lock, stop, d, [] { return false; });
  return !stop.stop_requested();
}

}  // namespace docmill
