#include "layout/table_region.h"

#include <algorithm>
#include <functional>

#include "layout/table_detector.h"

namespace docmill {
namespace {

constexpr size_t kMaxRules = 400;  // beyond this the page is a drawing, not a table
constexpr float kSlack = 3.f;      // points a rule or line may stick out of the stack

// Rules over one x-range, top to bottom.
struct Stack {
  float x0 = 0, x1 = 0;
  std::vector<Box> rules;
};

bool same_range(const Stack& s, const Box& r) {
  const float common = std::min(s.x1, r.x1) - std::max(s.x0, r.x0);
  return common >= 0.9f * std::min(s.x1 - s.x0, r.width());
}

// Within the x-range, give or take a few points or most of a line height (OCR line boxes take
// in specks beside the text, and a scanned rule may be skewed).
bool inside_x(const Box& b, float x0, float x1) {
  const float slack = std::max(kSlack, 0.8f * b.height());
  return b.x0 >= x0 - slack && b.x1 <= x1 + slack;
}

// A line between `y0` and `y1` that overlaps the stack's x-range but runs out of it: text
// flowing past the table (a paragraph between two tables of one column width does not).
bool crossed_between(const std::vector<TextLine>& lines, const Stack& s, float y0, float y1) {
  return std::ranges::any_of(lines, [&](const TextLine& l) {
    return l.box.cy() > y0 && l.box.cy() < y1 && l.box.x1 > s.x0 && l.box.x0 < s.x1 &&
           !inside_x(l.box, s.x0, s.x1);
  });
}

// Full-width rules of a stack: the ones that frame or divide the whole table (not a
// \cmidrule under a spanning header).
std::vector<Box> full_rules(const Stack& s) {
  std::vector<Box> out;
  for (const auto& r : s.rules) {
    if (r.width() >= 0.8f * (s.x1 - s.x0)) out.push_back(r);
  }
  return out;
}

// A line between `y0` and `y1` across most of the stack's width without a gap between its
// words as wide as a column gap: a paragraph between two tables, or the page between a header
// rule and a footer rule.
bool prose_between(const std::vector<TextLine>& lines, const Stack& s, float y0, float y1) {
  return std::ranges::any_of(lines, [&](const TextLine& l) {
    if (l.box.cy() <= y0 || l.box.cy() >= y1 || l.box.width() < 0.7f * (s.x1 - s.x0) ||
        l.box.x1 <= s.x0 || l.box.x0 >= s.x1) {
      return false;
    }
    if (l.words.size() < 4 || l.word_boxes.size() != l.words.size()) return false;
    const float gap_limit = std::max(4.f, 1.2f * (l.size > 0 ? l.size : l.box.height()));
    for (size_t w = 1; w < l.word_boxes.size(); ++w) {
      if (l.word_boxes[w].x0 - l.word_boxes[w - 1].x1 > gap_limit) return false;
    }
    return true;
  });
}

// Rules are taken top to bottom; each joins the latest stack over its x-range unless text
// between them says the table ended.
std::vector<Stack> stacks_of(const std::vector<TextLine>& lines, const std::vector<Box>& rules) {
  std::vector<Stack> stacks;
  for (const Box& r : rules) {
    auto it = std::ranges::find_if(stacks.rbegin(), stacks.rend(),
                                   [&](const Stack& s) { return same_range(s, r); });
    const bool joins = it != stacks.rend() &&
                       !crossed_between(lines, *it, it->rules.back().cy(), r.cy()) &&
                       !prose_between(lines, *it, it->rules.back().cy(), r.cy());
    if (!joins) {
      stacks.push_back({r.x0, r.x1, {r}});
      continue;
    }
    it->rules.push_back(r);
    it->x0 = std::min(it->x0, r.x0);
    it->x1 = std::max(it->x1, r.x1);
  }
  return stacks;
}

std::optional<TableRegion> region_of(const std::vector<TextLine>& lines, const Stack& s,
                                     const std::vector<Box>& vertical,
                                     const std::vector<char>& taken) {
  const auto full = full_rules(s);
  if (full.size() < 2) return std::nullopt;
  const Box box{s.x0, full.front().cy(), s.x1, full.back().cy()};
  TableRegion region;
  region.box = box;
  int mono = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    const Box& b = lines[i].box;
    if (taken[i] || b.cy() <= box.y0 || b.cy() >= box.y1 || !inside_x(b, box.x0, box.x1)) continue;
    region.lines.push_back(static_cast<int>(i));
    mono += lines[i].monospace;
  }
  if (region.lines.size() < 2 || mono * 2 > static_cast<int>(region.lines.size())) {
    return std::nullopt;
  }
  TableRules tr;
  // Rows of a grid end at any rule across a good part of it (\cline under some columns).
  for (const auto& r : s.rules) {
    if (r.width() >= 0.25f * box.width()) tr.row_breaks.push_back(r.cy());
  }
  for (const auto& v : vertical) {
    const float common = std::min(v.y1, box.y1) - std::max(v.y0, box.y0);
    if (v.cx() > box.x0 + kSlack && v.cx() < box.x1 - kSlack && common > 0) {
      tr.column_rules.push_back(v);
    }
  }
  // The rule under the header: the first full rule with text above it and below it inside
  // the table (the rule under the last row is not one).
  for (const auto& r : full) {
    const auto text_at = [&](auto side) {
      return std::ranges::any_of(region.lines, [&](int i) {
        return side(lines[static_cast<size_t>(i)].box.cy(), r.cy());
      });
    };
    if (text_at(std::less<float>()) && text_at(std::greater<float>())) {
      tr.header_end = r.cy();
      break;
    }
  }
  // Rows may follow the rules only in a grid: vertical rules and rules between rows.
  tr.rows_by_rules = !tr.column_rules.empty() && full.size() >= 3;
  auto table = build_table(lines, region.lines, tr);
  if (!table || table->rows < 2) return std::nullopt;
  // Two rules around some text are also a framed listing or a boxed note: then ask for more.
  const float need = full.size() >= 3 || !tr.column_rules.empty() ? 0.3f : 0.7f;
  if (multi_cell_share(*table) < need || looks_like_non_table(*table, !tr.column_rules.empty()))
    return std::nullopt;
  region.text = table_markup(*table);
  return region;
}

}  // namespace

std::vector<TableRegion> find_table_regions(const std::vector<TextLine>& lines,
                                            const RuleLines& rules) {
  if (rules.horizontal.size() < 2 || rules.horizontal.size() > kMaxRules) return {};
  std::vector<TableRegion> out;
  std::vector<char> taken(lines.size(), 0);
  for (const auto& s : stacks_of(lines, rules.horizontal)) {
    auto region = region_of(lines, s, rules.vertical, taken);
    if (!region) continue;
    for (int i : region->lines) taken[static_cast<size_t>(i)] = 1;
    out.push_back(std::move(*region));
  }
  return out;
}

}  // namespace docmill
