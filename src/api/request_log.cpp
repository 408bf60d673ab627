#include "api/request_log.h"

#include <spdlog/spdlog.h>

namespace docmill {

void RequestLog::started(const httplib::Request& req) {
  std::lock_guard lock(mu_);
  started_[&req] = std::chrono::steady_clock::now();
}

void RequestLog::finished(const httplib::Request& req, const httplib::Response& res) {
  double ms = -1;
  {
    std::lock_guard lock(mu_);
    if (const auto it = started_.find(&req); it != started_.end()) {
      ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - it->second)
               .count();
      started_.erase(it);
    }
  }
  if (ms < 0) {
    // Answered before routing (a malformed request, a body over the transport's limit).
    spdlog::info("{} {} {}", req.method, req.path, res.status);
  } else {
    spdlog::info("{} {} {} {:.1f} ms", req.method, req.path, res.status, ms);
  }
}

}  // namespace docmill
