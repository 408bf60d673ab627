#pragma once
// Text lines and pages built by hand for the layout tests: what the text layer would report,
// without a PDF in between.
#include <string>
#include <string_view>
#include <vector>

#include "layout/layout_analyzer.h"
#include "layout/page_model.h"

namespace docmill::testing {

// A line whose top-left corner is at (x, y) in points, `size` points high type; its width and
// word boxes follow from an average glyph width of half the size, as Helvetica's roughly is.
TextLine line_at(float x, float y, std::string_view text, float size = 10, bool bold = false);

// Lines of a column, one every `leading` points from `y` down; "" leaves a blank line.
std::vector<TextLine> column_at(float x, float y, const std::vector<std::string_view>& lines,
                                float size = 10, float leading = 12);

// `more` added at the end of `to`: a page built column by column.
void append(std::vector<TextLine>& to, std::vector<TextLine> more);

// An A4 page of the given lines (text layer, not OCR).
PageContent page_of(std::vector<TextLine> lines, std::vector<Box> figures = {});

// The blocks' texts, in order: handy in failure messages.
std::string describe(const std::vector<Block>& blocks);

// Index of the first block whose text contains `needle`; -1 when none does.
int find_block(const std::vector<Block>& blocks, std::string_view needle);

}  // namespace docmill::testing
