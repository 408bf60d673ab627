#pragma once
// Pieces of one printed row that a text layer (or OCR) gives as separate lines, joined into one
// line before the lines are put in reading order, so that no order can part them:
//  - a section number or bullet and the text beside it ("6.2" + "Programming Language");
//  - the term and the description of a description list, as a reference card sets them: a
//    column of short terms, a gap, a column of descriptions. Each row becomes a list item
//    "- term — description" (a plain line: the term's monospace or bold would otherwise make
//    it a code block or a heading).
#include <vector>

#include "layout/page_model.h"

namespace docmill {

std::vector<TextLine> join_row_pieces(std::vector<TextLine> lines);

}  // namespace docmill
