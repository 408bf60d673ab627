#include "core/page_range.h"

#include <fmt/format.h>
#include <algorithm>
#include <charconv>
#include <string>

namespace docmill {
namespace {

Result<int> parse_page_number(std::string_view s, int page_count, std::string_view spec) {
  int value = 0;
  const auto* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, value);
  if (s.empty() || ec != std::errc{} || ptr != end || value < 1) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("page selection '{}' is not valid: use page numbers from 1, such as "
                            "'1-5,8'",
                            spec));
  }
  if (value > page_count) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("page selection '{}' names page {}, but the document has {} pages",
                            spec, value, page_count));
  }
  return value;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

Result<std::vector<int>> parse_page_range(std::string_view spec, int page_count) {
  std::vector<int> pages;
  if (trim(spec).empty()) {
    for (int i = 0; i < page_count; ++i) pages.push_back(i);
    return pages;
  }
  std::string_view rest = spec;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view part = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    const auto dash = part.find('-');
    auto first = parse_page_number(part.substr(0, dash), page_count, spec);
    if (!first) return std::unexpected(first.error());
    int last = *first;
    if (dash != std::string_view::npos) {
      auto l = parse_page_number(trim(part.substr(dash + 1)), page_count, spec);
      if (!l) return std::unexpected(l.error());
      last = *l;
    }
    if (last < *first) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("page selection '{}' has a range that runs backwards", spec));
    }
    for (int p = *first; p <= last; ++p) pages.push_back(p - 1);
  }
  std::ranges::sort(pages);
  pages.erase(std::unique(pages.begin(), pages.end()), pages.end());
  return pages;
}

}  // namespace docmill
