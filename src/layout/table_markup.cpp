#include "layout/table_markup.h"

#include <algorithm>

#include <fmt/format.h>

namespace docmill {
namespace {

std::string escape_markdown_cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

std::string escape_html(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// The cell index owning each slot (row-major), -1 where none: a spanning cell owns several.
std::vector<int> slot_owners(const Table& t) {
  std::vector<int> owner(static_cast<size_t>(t.rows * t.cols), -1);
  for (size_t i = 0; i < t.cells.size(); ++i) {
    const TableCell& c = t.cells[i];
    for (int k = c.col; k < std::min(t.cols, c.col + c.col_span); ++k) {
      owner[static_cast<size_t>(c.row * t.cols + k)] = static_cast<int>(i);
    }
  }
  return owner;
}

std::string markdown(const Table& t, const std::vector<int>& owner) {
  std::string md;
  for (int r = 0; r < t.rows; ++r) {
    md += '|';
    for (int c = 0; c < t.cols; ++c) {
      const int o = owner[static_cast<size_t>(r * t.cols + c)];
      md += ' ' + (o >= 0 ? escape_markdown_cell(t.cells[static_cast<size_t>(o)].text) : "") + " |";
    }
    md += '\n';
    if (r == 0) {
      md += '|';
      for (int c = 0; c < t.cols; ++c) md += " --- |";
      md += '\n';
    }
  }
  if (!md.empty()) md.pop_back();
  return md;
}

std::string html(const Table& t, const std::vector<int>& owner) {
  std::string out = "<table>";
  const int head = std::clamp(t.header_rows, 0, t.rows);
  for (int r = 0; r < t.rows; ++r) {
    if (r == 0 && head > 0) out += "<thead>";
    if (r == head) out += "<tbody>";
    const char* tag = r < head ? "th" : "td";
    out += "\n<tr>";
    for (int c = 0; c < t.cols;) {
      const int o = owner[static_cast<size_t>(r * t.cols + c)];
      if (o < 0) {
        out += fmt::format("<{0}></{0}>", tag);
        ++c;
        continue;
      }
      const TableCell& cell = t.cells[static_cast<size_t>(o)];
      const int span = std::min(cell.col_span, t.cols - c);
      out += span > 1 ? fmt::format("<{0} colspan=\"{1}\">", tag, span) : fmt::format("<{}>", tag);
      out += escape_html(cell.text) + fmt::format("</{}>", tag);
      c += std::max(1, span);
    }
    out += "</tr>";
    if (r + 1 == head) out += "\n</thead>";
  }
  if (t.rows > head) out += "\n</tbody>";
  out += "\n</table>";
  return out;
}

}  // namespace

std::string table_markup(const Table& table) {
  const auto owner = slot_owners(table);
  const bool spans =
      std::ranges::any_of(table.cells, [](const TableCell& c) { return c.col_span > 1; });
  return spans ? html(table, owner) : markdown(table, owner);
}

}  // namespace docmill
