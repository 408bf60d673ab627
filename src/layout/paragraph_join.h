#pragma once
// Paragraphs that layout analysis cut in two within a page, joined again. A paragraph is cut
// where it runs from the foot of one column to the head of the next, around a float (a figure,
// a table, their captions) placed inside it, or around running furniture: the first part does
// not end a sentence and the next text block goes on in lower case. The second part's box is
// kept as one of the block's further boxes.
#include <vector>

#include "layout/page_model.h"

namespace docmill {

// True when `text` ends as a sentence or a clause that may close a paragraph does.
bool ends_paragraph(std::string_view text);

// Joins each cut paragraph (and each list item cut from its wrapped continuation) in `blocks`,
// which are in reading order. Blocks between the two parts keep their place after the joined
// paragraph.
void join_cut_paragraphs(std::vector<Block>& blocks);

}  // namespace docmill
