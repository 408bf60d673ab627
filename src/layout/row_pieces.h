#pragma once
// The rows of a description list, as a reference card sets them (a column of short terms, a
// gap, a column of descriptions), which a text layer (or OCR) gives as separate lines: each
// term and its description joined into one line before the lines are put in reading order, so
// that no order can part them. Each row becomes a list item "- term — description" (a plain
// line: the term's monospace or bold would otherwise make it a code block or a heading).
// Section numbers and their titles are joined likewise by layout/section_numbers.h.
#include <vector>

#include "layout/page_model.h"

namespace docmill {

std::vector<TextLine> join_row_pieces(std::vector<TextLine> lines);

}  // namespace docmill
