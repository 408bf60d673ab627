#include "layout/table_detector.h"

#include <algorithm>

namespace docmill {
namespace {

struct Cell {
  float x0, x1;
  std::string text;
};

// Splits a line into cells at gaps wider than about two spaces of its size.
void split_cells(const TextLine& l, std::vector<Cell>& row) {
  const float gap_limit = std::max(4.f, 1.2f * (l.size > 0 ? l.size : l.box.height()));
  for (size_t w = 0; w < l.words.size(); ++w) {
    const Box& b = l.word_boxes[w];
    if (row.empty() || b.x0 - row.back().x1 > gap_limit || b.x0 < row.back().x0) {
      row.push_back({b.x0, b.x1, l.words[w]});
    } else {
      row.back().x1 = std::max(row.back().x1, b.x1);
      row.back().text += ' ' + l.words[w];
    }
  }
}

std::string escape_cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::optional<std::string> detect_table(const std::vector<TextLine>& lines,
                                        const std::vector<int>& idx) {
  if (idx.size() < 3) return std::nullopt;
  // Rows: lines whose vertical extents overlap by more than half belong together.
  std::vector<std::vector<Cell>> rows;
  std::vector<Box> row_boxes;
  for (int i : idx) {
    const TextLine& l = lines[i];
    if (l.words.size() != l.word_boxes.size()) return std::nullopt;
    const bool same_row =
        !row_boxes.empty() &&
        std::min(l.box.y1, row_boxes.back().y1) - std::max(l.box.y0, row_boxes.back().y0) >
            0.5f * std::min(l.box.height(), row_boxes.back().height());
    if (!same_row) {
      rows.emplace_back();
      row_boxes.push_back(l.box);
    } else {
      row_boxes.back() = row_boxes.back().united(l.box);
    }
    split_cells(l, rows.back());
  }
  if (rows.size() < 3) return std::nullopt;
  for (auto& r : rows) std::ranges::sort(r, {}, &Cell::x0);

  // Columns: the union of overlapping cell ranges over all rows.
  std::vector<std::pair<float, float>> cols;
  for (const auto& r : rows) {
    for (const auto& c : r) cols.emplace_back(c.x0, c.x1);
  }
  std::ranges::sort(cols);
  std::vector<std::pair<float, float>> merged;
  for (const auto& c : cols) {
    if (!merged.empty() && c.first <= merged.back().second + 1.f) {
      merged.back().second = std::max(merged.back().second, c.second);
    } else {
      merged.push_back(c);
    }
  }
  const size_t ncol = merged.size();
  if (ncol < 2 || ncol > 12) return std::nullopt;
  size_t multi = 0;
  for (const auto& r : rows) multi += r.size() >= 2;
  if (multi * 10 < rows.size() * 7) return std::nullopt;

  std::vector<std::vector<std::string>> grid(rows.size(), std::vector<std::string>(ncol));
  for (size_t ri = 0; ri < rows.size(); ++ri) {
    for (const auto& c : rows[ri]) {
      size_t k = 0;
      while (k + 1 < ncol && c.x0 > merged[k].second) ++k;
      auto& cell = grid[ri][k];
      if (!cell.empty()) cell += ' ';
      cell += escape_cell(c.text);
    }
  }
  std::string md;
  for (size_t ri = 0; ri < grid.size(); ++ri) {
    md += '|';
    for (const auto& cell : grid[ri]) md += ' ' + cell + " |";
    md += '\n';
    if (ri == 0) {
      md += '|';
      for (size_t k = 0; k < ncol; ++k) md += " --- |";
      md += '\n';
    }
  }
  md.pop_back();
  return md;
}

}  // namespace docmill
