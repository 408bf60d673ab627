#pragma once
// Where a block's words probably are, when only the block's box and text are known: a page read
// by a model gives blocks, not word boxes, and searchable.pdf still needs each word somewhere on
// the page to lay its invisible text over. The words are wrapped into as many lines as make the
// characters about half as wide as the lines are tall (printed text's proportion), each line's
// words spread along it by their length.
#include <vector>

#include "layout/page_model.h"

namespace docmill {

// Lines of every block with text (not images; equations keep TeX, not words people search for),
// the markdown and HTML markup of tables and lists left out. Consecutive blocks with the same
// box share it, one below the other.
std::vector<OcrLine> estimated_lines(const std::vector<Block>& blocks);

}  // namespace docmill
