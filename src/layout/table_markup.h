#pragma once
// A table's cells as text: a markdown table, or HTML when a cell spans columns (API.md).
#include <string>
#include <vector>

namespace docmill {

struct TableCell {
  int row = 0;
  int col = 0;
  int col_span = 1;
  std::string text;
};

struct Table {
  int rows = 0;
  int cols = 0;
  int header_rows = 1;           // the first rows, above the rule under the header
  std::vector<TableCell> cells;  // at most one per slot; empty slots have none
};

// `| a | b |` rows with a `| --- |` line under the first; a table with a spanning cell becomes
// `<table>` with `colspan`, its header rows in `<thead>`.
std::string table_markup(const Table& table);

}  // namespace docmill
