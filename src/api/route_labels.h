#pragma once
// The route label of a request in the HTTP metrics: the OpenAPI path template it matched
// ("/result/{job_id}/status"), never the raw path, so that the label has as many values as the
// API has routes however many jobs and images there are; "other" for anything else (the
// /static/ files, unknown paths).
#include <regex>
#include <string_view>
#include <utility>
#include <vector>

namespace docmill {

class RouteLabels {
 public:
  // `templates`: the API's path templates (Api::routes()); they must outlive this object.
  explicit RouteLabels(const std::vector<std::string_view>& templates);

  std::string_view route_of(std::string_view path) const;

  // The request method when it is one of HTTP's own, else "other" (a raw request line can
  // carry any word there).
  static std::string_view method_of(std::string_view method);

 private:
  std::vector<std::pair<std::string_view, std::regex>> routes_;
};

}  // namespace docmill
