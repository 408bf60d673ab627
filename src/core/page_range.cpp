#include "core/page_range.h"

#include <fmt/format.h>
#include <algorithm>
#include <charconv>
#include <string>
#include <utility>

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

using Span = std::pair<int, int>;  // first and last 1-based page, inclusive

Result<std::vector<Span>> parse_spans(std::string_view spec, int page_count) {
  std::vector<Span> spans;
  if (trim(spec).empty()) {
    if (page_count > 0) spans.emplace_back(1, page_count);
    return spans;
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
    spans.emplace_back(*first, last);
  }
  return spans;
}

}  // namespace

Result<std::vector<int>> parse_page_range(std::string_view spec, int page_count, int max_pages) {
  auto spans = parse_spans(spec, page_count);
  if (!spans) return std::unexpected(spans.error());
  // Overlaps merged first, so the count is of distinct pages and nothing per page is allocated
  // before it is known to be within the limit.
  std::ranges::sort(*spans);
  std::vector<Span> merged;
  for (const auto& s : *spans) {
    if (!merged.empty() && s.first <= merged.back().second + 1) {
      merged.back().second = std::max(merged.back().second, s.second);
    } else {
      merged.push_back(s);
    }
  }
  long long selected = 0;
  for (const auto& [first, last] : merged) selected += static_cast<long long>(last) - first + 1;
  if (selected > max_pages) {
    return fail(ErrorCode::kTooManyPages,
                fmt::format("{} pages selected, over the limit of {}", selected, max_pages));
  }
  std::vector<int> pages;
  pages.reserve(static_cast<size_t>(selected));
  for (const auto& [first, last] : merged) {
    for (int p = first; p <= last; ++p) pages.push_back(p - 1);
  }
  return pages;
}

}  // namespace docmill
