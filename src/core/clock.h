#pragma once
#include <chrono>
#include <string>

namespace docmill {

// ISO 8601 UTC with seconds, e.g. "2025-11-01T10:00:00Z".
std::string iso8601_utc(std::chrono::system_clock::time_point t);
inline std::string now_iso8601() {
  return iso8601_utc(std::chrono::system_clock::now());
}

// Milliseconds since the epoch, the store's clock for leases.
inline long long now_unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace docmill
