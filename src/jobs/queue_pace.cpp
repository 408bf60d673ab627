#include "jobs/queue_pace.h"

namespace docmill {

std::optional<double> own_seconds_per_page(const std::map<std::string, MethodPace>& recent,
                                           std::map<std::string, long long> own,
                                           std::string_view engine, double server_pace) {
  double total_ms = 0;
  long long pages = 0;
  for (const auto& [method, pace] : recent) {
    total_ms += pace.average_ms * static_cast<double>(pace.pages);
    pages += pace.pages;
  }
  if (pages == 0 || total_ms <= 0) return std::nullopt;
  const double average_ms = total_ms / static_cast<double>(pages);
  if (own.empty() && engine == "vlm") own["vlm"] = 1;
  if (own.empty()) return std::nullopt;
  double expected_ms = 0;
  long long counted = 0;
  for (const auto& [method, n] : own) {
    const auto it = recent.find(method);
    if (it == recent.end()) return std::nullopt;  // no recent page read this way
    expected_ms += it->second.average_ms * static_cast<double>(n);
    counted += n;
  }
  return server_pace * (expected_ms / static_cast<double>(counted)) / average_ms;
}

}  // namespace docmill
