#include "layout/number_rows.h"

#include <algorithm>
#include <array>
#include <numeric>
#include <ranges>
#include <string_view>

namespace docmill {
namespace {

// Marks a figure may carry besides ASCII digits, signs and brackets: the centred dot of a
// decimal point, the minus sign, plus-minus, the thin space.
constexpr std::array<std::string_view, 4> kFigureMarks = {"\u00b7", "\u2212", "\u00b1", "\u2009"};

// The cells of `row` (indices into `lines`, left to right) as one line.
TextLine joined(const std::vector<TextLine>& lines, const std::vector<size_t>& row) {
  TextLine out = lines[row.front()];
  float math_chars = out.math_font_share * static_cast<float>(out.text.size());
  size_t chars = out.text.size();
  for (size_t k = 1; k < row.size(); ++k) {
    const TextLine& c = lines[row[k]];
    out.text += ' ' + c.text;
    out.words.insert(out.words.end(), c.words.begin(), c.words.end());
    out.word_boxes.insert(out.word_boxes.end(), c.word_boxes.begin(), c.word_boxes.end());
    out.box = out.box.united(c.box);
    math_chars += c.math_font_share * static_cast<float>(c.text.size());
    chars += c.text.size();
  }
  out.math_font_share = chars > 0 ? math_chars / static_cast<float>(chars) : 0;
  out.figure_row = true;
  return out;
}

bool has_mark(std::string_view t) {
  return std::ranges::any_of(t, [](char c) { return c < '0' || c > '9'; });
}

// Rows [from, to) are a table's figures, not rulers or margin numbers side by side ("5 2",
// "10 4", "15 6"): three cells or more a row, or figures with decimal marks or signs in half
// the cells.
bool reads_as_figures(const std::vector<TextLine>& lines,
                      const std::vector<std::vector<size_t>>& rows, size_t from, size_t to) {
  size_t cells = 0, marked = 0;
  bool wide = true;
  for (size_t r = from; r < to; ++r) {
    wide = wide && rows[r].size() >= 3;
    for (size_t i : rows[r]) {
      ++cells;
      marked += has_mark(lines[i].text);
    }
  }
  return wide || 2 * marked >= cells;
}

}  // namespace

bool is_figure_cell(std::string_view t) {
  constexpr size_t kMaxLength = 16;
  if (t.empty() || t.size() > kMaxLength) return false;
  bool digit = false;
  size_t i = 0;
  while (i < t.size()) {
    const char c = t[i];
    if (c >= '0' && c <= '9') {
      digit = true;
      ++i;
      continue;
    }
    if (std::string_view(".,+-%() ").find(c) != std::string_view::npos) {
      ++i;
      continue;
    }
    const auto mark = std::ranges::find_if(
        kFigureMarks, [&](std::string_view m) { return t.substr(i).starts_with(m); });
    if (mark == kFigureMarks.end()) return false;
    i += mark->size();
  }
  return digit;
}

std::vector<TextLine> join_number_rows(std::vector<TextLine> lines) {
  constexpr size_t kMinRows = 3;
  std::vector<size_t> cells;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (is_figure_cell(lines[i].text) && lines[i].box.height() > 0) cells.push_back(i);
  }
  if (cells.size() < 2 * kMinRows) return lines;
  std::ranges::sort(cells, {}, [&](size_t i) { return lines[i].box.cy(); });

  // Rows of 2 or more cells with no other line among them.
  std::vector<std::vector<size_t>> rows;
  for (size_t k = 0; k < cells.size();) {
    std::vector<size_t> row{cells[k]};
    size_t m = k + 1;
    while (m < cells.size() && on_one_row(lines[cells[k]].box, lines[cells[m]].box))
      row.push_back(cells[m++]);
    k = m;
    if (row.size() < 2) continue;
    std::ranges::sort(row, {}, [&](size_t i) { return lines[i].box.x0; });
    const float x0 = lines[row.front()].box.x0, x1 = lines[row.back()].box.x1;
    const bool clean =
        std::ranges::none_of(std::views::iota(size_t{0}, lines.size()), [&](size_t i) {
          return !is_figure_cell(lines[i].text) && lines[i].box.x1 > x0 && lines[i].box.x0 < x1 &&
                 on_one_row(lines[i].box, lines[row.front()].box);
        });
    if (clean) rows.push_back(std::move(row));
  }

  // Runs of rows one under the other, at most a line and a half apart.
  std::vector<char> drop(lines.size(), 0);
  std::vector<std::pair<size_t, TextLine>> merged;  // first cell's index, the joined row
  for (size_t r = 0; r < rows.size();) {
    size_t end = r + 1;
    while (end < rows.size()) {
      const TextLine& above = lines[rows[end - 1].front()];
      const TextLine& below = lines[rows[end].front()];
      if (below.box.y0 - above.box.y1 > 1.5f * above.box.height()) break;
      ++end;
    }
    if (end - r >= kMinRows && reads_as_figures(lines, rows, r, end)) {
      for (size_t k = r; k < end; ++k) {
        merged.emplace_back(rows[k].front(), joined(lines, rows[k]));
        for (size_t i : rows[k]) drop[i] = 1;
      }
    }
    r = end;
  }
  if (merged.empty()) return lines;
  // Each joined row stands where its leftmost cell stood.
  for (auto& [at, line] : merged) {
    lines[at] = std::move(line);
    drop[at] = 0;
  }
  std::vector<TextLine> out;
  out.reserve(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!drop[i]) out.push_back(std::move(lines[i]));
  }
  return out;
}

}  // namespace docmill
