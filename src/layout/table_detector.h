#pragma once
// Tables recovered from alignment: rows are lines on one baseline, cells are runs of words
// separated by wide gaps (or by a vertical rule), and columns are the x-ranges where cells of
// the rows with the usual number of cells overlap; a cell across several of them spans.
#include <optional>
#include <string>
#include <vector>

#include "layout/page_model.h"
#include "layout/table_markup.h"

namespace docmill {

// What ruling lines tell about a table region; all empty when it has none.
struct TableRules {
  std::vector<float> row_breaks;  // y of horizontal rules across the table
  std::vector<Box> column_rules;  // vertical rules inside it: cells end where one crosses a row
  float header_end = -1;          // y of the rule under the header rows; < 0 when unknown
  bool rows_by_rules = false;     // a ruled grid: all text between two rules is one row
};

// The lines `idx` of `lines` laid out as a grid (rows top to bottom whatever order `idx` has);
// nullopt when they do not make at least 2 rows and 2 columns.
std::optional<Table> build_table(const std::vector<TextLine>& lines, const std::vector<int>& idx,
                                 const TableRules& rules = {});

// Rows that are mostly text in two or three wide cells (two-column prose, unless `column_rules`
// divide them), dot leaders and page numbers (a table of contents): laid out like a table, read
// as something else.
bool looks_like_non_table(const Table& table, bool column_rules);

// Rows with cells in two columns or more, out of all rows.
float multi_cell_share(const Table& table);

// A table from alignment alone (no rules): the lines `idx` of `lines` as markdown or HTML when
// they form one (at least 3 rows, most with cells in 2 or more columns); nullopt otherwise.
std::optional<std::string> detect_table(const std::vector<TextLine>& lines,
                                        const std::vector<int>& idx);

}  // namespace docmill
