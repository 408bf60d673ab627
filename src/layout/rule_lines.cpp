#include "layout/rule_lines.h"

#include <algorithm>
#include <cstddef>

namespace docmill {
namespace {

constexpr float kMinLength = 8.f;  // points: shorter strokes are dashes, underlines of a glyph
constexpr float kJoinGap = 2.f;    // pieces this close along the line are one rule

// Joins pieces lying on one line (their centres within a point across it) whose long extents
// touch: pieces are grouped into lines by their across position, then merged along each line.
std::vector<Box> join_collinear(std::vector<Box> pieces, bool horizontal) {
  const auto across = [horizontal](const Box& b) { return horizontal ? b.cy() : b.cx(); };
  const auto from = [horizontal](const Box& b) { return horizontal ? b.x0 : b.y0; };
  const auto to = [horizontal](const Box& b) { return horizontal ? b.x1 : b.y1; };
  std::ranges::sort(pieces, {}, across);
  std::vector<Box> out;
  for (size_t start = 0; start < pieces.size();) {
    size_t end = start + 1;
    while (end < pieces.size() && across(pieces[end]) - across(pieces[end - 1]) <= 1.f) ++end;
    std::sort(pieces.begin() + static_cast<std::ptrdiff_t>(start),
              pieces.begin() + static_cast<std::ptrdiff_t>(end),
              [&](const Box& a, const Box& b) { return from(a) < from(b); });
    const size_t first_out = out.size();
    for (size_t i = start; i < end; ++i) {
      if (out.size() > first_out && from(pieces[i]) <= to(out.back()) + kJoinGap) {
        out.back() = out.back().united(pieces[i]);
      } else {
        out.push_back(pieces[i]);
      }
    }
    start = end;
  }
  return out;
}

}  // namespace

RuleLines find_rule_lines(std::span<const Box> marks, float max_thickness) {
  std::vector<Box> horizontal, vertical;
  for (const Box& m : marks) {
    const float w = m.width(), h = m.height();
    if (h <= max_thickness && w >= kMinLength && w >= 2.5f * h) horizontal.push_back(m);
    if (w <= max_thickness && h >= kMinLength && h >= 2.5f * w) vertical.push_back(m);
  }
  RuleLines rules;
  rules.horizontal = join_collinear(std::move(horizontal), true);
  std::ranges::sort(rules.horizontal, {}, [](const Box& b) { return std::pair{b.y0, b.x0}; });
  rules.vertical = join_collinear(std::move(vertical), false);
  std::ranges::sort(rules.vertical, {}, [](const Box& b) { return std::pair{b.x0, b.y0}; });
  return rules;
}

}  // namespace docmill
