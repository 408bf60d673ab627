#include "api/route_labels.h"

#include <array>
#include <string>

#include "api/route_pattern.h"

namespace docmill {

RouteLabels::RouteLabels(const std::vector<std::string_view>& templates) {
  for (const auto path : templates) {
    // One template may serve several methods (GET and DELETE /result/{job_id}).
    bool seen = false;
    for (const auto& [known, re] : routes_) seen = seen || known == path;
    if (!seen) routes_.emplace_back(path, std::regex(route_pattern(path)));
  }
}

std::string_view RouteLabels::route_of(std::string_view path) const {
  for (const auto& [label, re] : routes_) {
    if (std::regex_match(path.begin(), path.end(), re)) return label;
  }
  return "other";
}

std::string_view RouteLabels::method_of(std::string_view method) {
  static constexpr std::array<std::string_view, 9> kMethods{
      "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};
  for (const auto m : kMethods) {
    if (m == method) return m;
  }
  return "other";
}

}  // namespace docmill
