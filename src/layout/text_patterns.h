#pragma once
// What a line's words say about its role: captions, list items, section numbers, page numbers.
#include <string_view>

namespace docmill {

bool is_figure_caption_start(std::string_view text);  // "Figure 3", "Fig. 2:", "FIGURE 1"
bool is_table_caption_start(std::string_view text);   // "Table 2", "TABLE IV"
// A bullet or enumerator followed by text: "• item", "- item", "1. item", "(a) item".
bool is_list_item_start(std::string_view text);
// The list marker removed ("• item" -> "item"); enumerators are kept ("1. item").
std::string_view strip_bullet(std::string_view text);
// "3", "3.2", "IV.", "A.1" followed by a capitalised word: a numbered section title.
bool is_numbered_heading(std::string_view text);

// True when `text` holds a dot leader, the run of dots (". . . ." or "....") that leads a
// contents entry to its page number.
bool has_dot_leader(std::string_view text);
// "12", "- 12 -", "xiv", "Page 3", "3 / 10", "Page 3 of 10", "2 von 2".
bool is_page_number(std::string_view text);
// Share of characters that are math symbols (=, +, <, Greek letters, operators).
float math_symbol_share(std::string_view text);
// Words of three or more lower-case ASCII letters (trailing ",.;:" aside): the share of them
// tells running text from labels and formulas.
int prose_word_count(std::string_view text);

}  // namespace docmill
