#pragma once
// QueueStanding::own_seconds_per_page from what a store reads (both stores share it): the
// server's pace weighed by what the read methods of the job's done pages cost against the
// average page of the window. Before its first page, a job on the model is read by the model;
// one on the embedded engine may hold text-layer pages or scans alike, which nothing tells
// apart yet (nullopt).
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace docmill {

// The pages done in the window by one read method.
struct MethodPace {
  double average_ms = 0;
  long long pages = 0;
};

std::optional<double> own_seconds_per_page(const std::map<std::string, MethodPace>& recent,
                                           std::map<std::string, long long> own,
                                           std::string_view engine, double server_pace);

}  // namespace docmill
