#pragma once
// OCR reads a vertical rule that crosses a line of text as a glyph: "|", "||", "]", "[", "I",
// "l", "1", "!". Such marks are not the page's text, and inside a table they glue the cells on
// either side of the rule into one ("THREE | FOUR").
#include <span>
#include <vector>

#include "layout/geometry.h"
#include "layout/page_model.h"

namespace docmill {

// `lines` without the words that are only rule-like strokes with a vertical rule running
// through them; a line left without words is dropped. Boxes in one frame (points).
std::vector<TextLine> drop_rule_marks(std::vector<TextLine> lines, std::span<const Box> vertical);

}  // namespace docmill
