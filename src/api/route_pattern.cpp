#include "api/route_pattern.h"

namespace docmill {
namespace {

constexpr std::string_view kRegexSpecials = R"(\^$.|?*+()[]{})";

}  // namespace

std::string_view openapi_name(HttpMethod method) {
  switch (method) {
    case HttpMethod::kGet:
      return "get";
    case HttpMethod::kPost:
      return "post";
    case HttpMethod::kDelete:
      return "delete";
  }
  return "get";
}

std::string route_pattern(std::string_view path) {
  std::string pattern;
  while (!path.empty()) {
    const auto open = path.find('{');
    const auto close = open == std::string_view::npos ? open : path.find('}', open);
    for (const char c : path.substr(0, close == std::string_view::npos ? path.size() : open)) {
      if (kRegexSpecials.find(c) != std::string_view::npos) pattern += '\\';
      pattern += c;
    }
    if (close == std::string_view::npos) break;
    const auto name = path.substr(open + 1, close - open - 1);
    pattern += name == "image_name" ? "(.+)" : "([^/]+)";
    path.remove_prefix(close + 1);
  }
  return pattern;
}

}  // namespace docmill
