#include "layout/table_detector.h"

#include <algorithm>
#include <map>

namespace docmill {
namespace {

struct Cell {
  float x0, x1;
  std::string text;
};

struct TextRow {
  Box box;
  std::vector<Cell> cells;
};

using Interval = std::pair<float, float>;

// A vertical rule between x positions `a` and `b` that runs through height `y`.
bool rule_crosses(const std::vector<Box>& rules, float a, float b, float y) {
  return std::ranges::any_of(
      rules, [&](const Box& v) { return v.cx() > a && v.cx() < b && v.y0 <= y && v.y1 >= y; });
}

// Splits a line into cells at gaps wider than about two spaces of its size, and at vertical
// rules.
void split_cells(const TextLine& l, const std::vector<Box>& column_rules, std::vector<Cell>& row) {
  const float gap_limit = std::max(4.f, 1.2f * (l.size > 0 ? l.size : l.box.height()));
  bool first = true;
  for (size_t w = 0; w < l.words.size(); ++w) {
    const Box& b = l.word_boxes[w];
    const bool new_cell = first || b.x0 - row.back().x1 > gap_limit || b.x0 < row.back().x0 ||
                          rule_crosses(column_rules, row.back().x1 - 0.5f, b.x0 + 0.5f, b.cy());
    first = false;
    if (new_cell) {
      row.push_back({b.x0, b.x1, l.words[w]});
    } else {
      row.back().x1 = std::max(row.back().x1, b.x1);
      row.back().text += ' ' + l.words[w];
    }
  }
}

float overlap(const Interval& a, float x0, float x1) {
  return std::min(a.second, x1) - std::max(a.first, x0);
}

// Column x-ranges: the union of the cells of the rows with the most usual count of cells (2 or
// more; a tie goes to more), then cells of later rows that fall in none of them as columns of
// their own. Spanning header cells do not merge the columns they span this way, and one centred
// over two columns above the first full row spans them rather than making a column.
std::vector<Interval> columns_of(const std::vector<TextRow>& rows) {
  std::map<size_t, int> counts;
  for (const auto& r : rows) {
    if (r.cells.size() >= 2) ++counts[r.cells.size()];
  }
  if (counts.empty()) return {};
  size_t mode = 0;
  int best = 0;
  for (const auto& [n, c] : counts) {
    if (c >= best) {
      best = c;
      mode = n;
    }
  }
  std::vector<Interval> spans;
  for (const auto& r : rows) {
    if (r.cells.size() != mode) continue;
    for (const auto& c : r.cells) spans.emplace_back(c.x0, c.x1);
  }
  std::ranges::sort(spans);
  std::vector<Interval> cols;
  for (const auto& s : spans) {
    if (!cols.empty() && s.first <= cols.back().second + 1.f) {
      cols.back().second = std::max(cols.back().second, s.second);
    } else {
      cols.push_back(s);
    }
  }
  std::vector<Interval> extra;
  bool head = true;
  for (const auto& r : rows) {
    head = head && r.cells.size() != mode;
    if (r.cells.size() == mode || head) continue;
    for (const auto& c : r.cells) {
      const bool inside =
          std::ranges::any_of(cols, [&](const Interval& k) { return overlap(k, c.x0, c.x1) > 0; });
      if (!inside) extra.emplace_back(c.x0, c.x1);
    }
  }
  std::ranges::sort(extra);
  for (const auto& e : extra) {
    auto it = std::ranges::find_if(
        cols, [&](const Interval& k) { return overlap(k, e.first, e.second) > 0; });
    if (it != cols.end()) {
      it->first = std::min(it->first, e.first);
      it->second = std::max(it->second, e.second);
    } else {
      cols.insert(std::ranges::upper_bound(cols, e), e);
    }
  }
  return cols;
}

// Columns of a grid: the x-ranges between its vertical rules (a double rule counts once), those
// with some cell in them. A cell across a rule spans the columns on both sides.
std::vector<Interval> columns_between(const std::vector<TextRow>& rows,
                                      const std::vector<Box>& column_rules) {
  float left = 1e9f, right = -1e9f;
  for (const auto& r : rows) {
    for (const auto& c : r.cells) {
      left = std::min(left, c.x0);
      right = std::max(right, c.x1);
    }
  }
  std::vector<float> xs;
  for (const auto& v : column_rules) xs.push_back(v.cx());
  std::ranges::sort(xs);
  std::vector<float> cuts;
  for (float x : xs) {
    if (x <= left || x >= right) continue;
    if (cuts.empty() || x - cuts.back() > 3.f) cuts.push_back(x);
  }
  std::vector<Interval> cols;
  float from = left;
  for (float x : cuts) {
    cols.emplace_back(from, x);
    from = x;
  }
  cols.emplace_back(from, right);
  std::erase_if(cols, [&](const Interval& k) {
    return std::ranges::none_of(rows, [&](const TextRow& r) {
      return std::ranges::any_of(r.cells,
                                 [&](const Cell& c) { return overlap(k, c.x0, c.x1) > 0; });
    });
  });
  return cols;
}

// The first and last column a cell covers: those it overlaps; one in the gap between two
// columns (a header centred over both) spans them; one beside all columns takes the nearest.
std::pair<int, int> place_cell(const Cell& c, const std::vector<Interval>& cols) {
  const int n = static_cast<int>(cols.size());
  int first = -1, last = -1;
  for (int k = 0; k < n; ++k) {
    if (overlap(cols[static_cast<size_t>(k)], c.x0, c.x1) > 0) {
      if (first < 0) first = k;
      last = k;
    }
  }
  if (first >= 0) return {first, last};
  if (c.x0 > cols.front().second && c.x1 < cols.back().first) {
    last = static_cast<int>(std::ranges::upper_bound(cols, Interval{c.x0, c.x0}) - cols.begin());
    return {last - 1, last};
  }
  first = 0;
  float best = 1e9f;
  for (int k = 0; k < n; ++k) {
    const auto& col = cols[static_cast<size_t>(k)];
    const float d = std::abs((col.first + col.second) / 2 - (c.x0 + c.x1) / 2);
    if (d < best) {
      best = d;
      first = k;
    }
  }
  return {first, first};
}

// True when a cell of `row` sits under a spanning cell of `above`: a new row under a spanning
// header, not more lines of a wrapped cell.
bool under_span(const TextRow& row, const TextRow& above,
                const std::vector<std::pair<int, int>>& above_place) {
  for (size_t a = 0; a < above.cells.size(); ++a) {
    if (above_place[a].second == above_place[a].first) continue;
    for (const auto& c : row.cells) {
      if (std::min(c.x1, above.cells[a].x1) > std::max(c.x0, above.cells[a].x0)) return true;
    }
  }
  return false;
}

int count_words(const std::string& s) {
  return s.empty() ? 0 : static_cast<int>(std::ranges::count(s, ' ')) + 1;
}

bool has_dot_leader(const std::string& s) {
  return s.find("...") != std::string::npos || s.find(". . .") != std::string::npos;
}

bool is_whole_number(const std::string& s) {
  return !s.empty() && s.size() <= 4 &&
         std::ranges::all_of(s, [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<Table> build_table(const std::vector<TextLine>& lines, const std::vector<int>& idx,
                                 const TableRules& rules) {
  std::vector<int> order = idx;
  for (int i : order) {
    if (lines[i].words.size() != lines[i].word_boxes.size()) return std::nullopt;
  }
  std::ranges::sort(order, [&](int a, int b) {
    return std::pair{lines[a].box.cy(), lines[a].box.x0} <
           std::pair{lines[b].box.cy(), lines[b].box.x0};
  });
  // Text rows: lines whose middles are within half a line of the row's first line's belong
  // together. Measured against the first line, by middles: text-layer boxes (ascender to
  // descender, taller still for symbol fonts) of tightly set rows overlap, and a row grown by
  // each line would swallow the next.
  std::vector<TextRow> rows;
  Box row_first;
  for (int i : order) {
    const TextLine& l = lines[i];
    const bool same_row = !rows.empty() && std::abs(l.box.cy() - row_first.cy()) <
                                               0.5f * std::min(l.box.height(), row_first.height());
    if (!same_row) {
      rows.push_back({l.box, {}});
      row_first = l.box;
    }
    rows.back().box = rows.back().box.united(l.box);
    split_cells(l, rules.column_rules, rows.back().cells);
  }
  if (rows.size() < 2) return std::nullopt;
  for (auto& r : rows) std::ranges::sort(r.cells, {}, &Cell::x0);

  // A grid's rules may show columns that alignment misses (most rows wrap in two of four
  // columns), or miss some that alignment shows (columns set apart without a rule): the
  // reading with more columns wins.
  auto cols = columns_of(rows);
  if (!rules.column_rules.empty()) {
    auto ruled = columns_between(rows, rules.column_rules);
    if (ruled.size() > cols.size()) cols = std::move(ruled);
  }
  if (cols.size() < 2 || cols.size() > 20) return std::nullopt;

  std::vector<std::vector<std::pair<int, int>>> place(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    for (const auto& c : rows[r].cells) place[r].push_back(place_cell(c, cols));
  }

  // Table rows: one per text row; in a ruled grid, text between two rules is one row, unless
  // two or more of its text rows have the most cells (2 or more) in it: those start rows, and
  // the text rows after each (a cell wrapping onto more lines) join them. A text row under a
  // spanning cell starts a row too.
  std::vector<int> band(rows.size(), 0);
  for (size_t r = 0; r < rows.size(); ++r) {
    band[r] = static_cast<int>(
        std::ranges::count_if(rules.row_breaks, [&](float y) { return y < rows[r].box.cy(); }));
  }
  std::vector<size_t> most(rules.row_breaks.size() + 1, 0);
  std::vector<int> full(rules.row_breaks.size() + 1, 0);
  for (size_t r = 0; r < rows.size(); ++r) {
    auto& m = most[static_cast<size_t>(band[r])];
    m = std::max(m, rows[r].cells.size());
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    const size_t b = static_cast<size_t>(band[r]);
    full[b] += most[b] >= 2 && rows[r].cells.size() == most[b];
  }
  std::vector<int> row_of(rows.size());
  std::vector<float> row_top;
  bool seen_full = false;  // in the current band
  for (size_t r = 0; r < rows.size(); ++r) {
    const size_t b = static_cast<size_t>(band[r]);
    const bool same_band = r > 0 && band[r] == band[r - 1];
    if (!same_band) seen_full = false;
    const bool is_full = most[b] >= 2 && rows[r].cells.size() == most[b];
    bool joins = r > 0 && rules.rows_by_rules && same_band;
    if (joins && full[b] >= 2 && is_full && seen_full) joins = false;
    if (joins && under_span(rows[r], rows[r - 1], place[r - 1])) joins = false;
    seen_full = seen_full || is_full;
    if (!joins) row_top.push_back(rows[r].box.cy());
    row_of[r] = static_cast<int>(row_top.size()) - 1;
  }

  Table t;
  t.rows = static_cast<int>(row_top.size());
  t.cols = static_cast<int>(cols.size());
  std::vector<int> owner(static_cast<size_t>(t.rows * t.cols), -1);
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t ci = 0; ci < rows[r].cells.size(); ++ci) {
      const Cell& c = rows[r].cells[ci];
      const auto [first, last] = place[r][ci];
      const size_t slot = static_cast<size_t>(row_of[r] * t.cols + first);
      if (owner[slot] >= 0) {
        auto& text = t.cells[static_cast<size_t>(owner[slot])].text;
        text += (text.empty() ? "" : " ") + c.text;
        continue;
      }
      int span = last - first + 1;
      for (int k = first + 1; k <= last; ++k) {
        if (owner[static_cast<size_t>(row_of[r] * t.cols + k)] >= 0) {
          span = k - first;
          break;
        }
      }
      for (int k = first; k < first + span; ++k) {
        owner[static_cast<size_t>(row_of[r] * t.cols + k)] = static_cast<int>(t.cells.size());
      }
      t.cells.push_back({row_of[r], first, span, c.text});
    }
  }
  if (rules.header_end > 0) {
    const auto below = std::ranges::find_if(row_top, [&](float y) { return y > rules.header_end; });
    t.header_rows = std::clamp(static_cast<int>(below - row_top.begin()), 1, t.rows);
  }
  return t;
}

float multi_cell_share(const Table& table) {
  if (table.rows == 0) return 0;
  std::vector<int> per_row(static_cast<size_t>(table.rows), 0);
  for (const auto& c : table.cells) {
    if (!c.text.empty()) ++per_row[static_cast<size_t>(c.row)];
  }
  return static_cast<float>(std::ranges::count_if(per_row, [](int n) { return n >= 2; })) /
         static_cast<float>(table.rows);
}

bool looks_like_non_table(const Table& t, bool column_rules) {
  if (t.cells.empty()) return true;
  int words = 0, leaders = 0, numbered_ends = 0, worded_starts = 0, start_words = 0;
  std::vector<int> last_numbers;
  for (const auto& c : t.cells) {
    words += count_words(c.text);
    leaders += has_dot_leader(c.text);
    if (c.col == 0) start_words += count_words(c.text);
    worded_starts += c.col == 0 && std::ranges::any_of(c.text, [](char ch) {
                       return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
                     });
    if (c.col + c.col_span == t.cols && is_whole_number(c.text)) {
      ++numbered_ends;
      last_numbers.push_back(std::stoi(c.text));
    }
  }
  // Prose in columns: cells of many words each (unless rules divide the columns: then they are
  // paragraphs in cells).
  if (!column_rules && static_cast<float>(words) / static_cast<float>(t.cells.size()) > 5.5f) {
    return true;
  }
  if (leaders * 4 >= t.rows) return true;
  // A table of contents: titles of a few words, then a last column of page numbers that never
  // go down.
  if (t.cols <= 3 && numbered_ends * 10 >= t.rows * 8 && worded_starts * 10 >= t.rows * 8 &&
      start_words * 2 >= t.rows * 5 && t.rows >= 3 && std::ranges::is_sorted(last_numbers)) {
    return true;
  }
  return false;
}

std::optional<std::string> detect_table(const std::vector<TextLine>& lines,
                                        const std::vector<int>& idx) {
  if (idx.size() < 3) return std::nullopt;
  auto t = build_table(lines, idx);
  if (!t || t->rows < 3 || t->cols > 12) return std::nullopt;
  if (multi_cell_share(*t) < 0.7f || looks_like_non_table(*t, false)) return std::nullopt;
  return table_markup(*t);
}

}  // namespace docmill
