#pragma once
// OCR models write tables as HTML (`<table><tr><td>…`). docmill's outputs hold markdown tables,
// which every markdown reader shows; a markdown table cannot say that a cell spans, so a table
// with spans stays HTML, which markdown readers show as well.
#include <string>
#include <string_view>

namespace docmill {

// The first `<table>` in `html` (or, without that tag, its `<tr>`/`<td>` rows):
//   - no cell spans: a pipe table, first row as the header, `| a | b |` lines with a
//     `| --- | --- |` separator, short rows padded, `|` in cells escaped as `\|`;
//   - a cell with colspan or rowspan > 1: clean HTML, `<table><tr><td colspan="2">a</td>…`,
//     no whitespace between tags and no attribute but colspan/rowspan.
// Cell text: entities decoded, `<br>` and runs of whitespace as one space, trimmed, other tags
// dropped except <sup>/<sub>. A table cut short (no closing tags) keeps the rows it has.
// Empty when there is no cell. Never fails: any bytes in, a table or nothing out (bytes that
// are not UTF-8 pass through: the caller cleans the answer first).
std::string table_markdown(std::string_view html);

}  // namespace docmill
