#pragma once
// Display equations on text-layer pages: the lines a formula set apart from the text is made of
// (fractions, sums with limits and sub- or superscripts split one formula into several lines),
// and its number.
#include <span>
#include <string_view>
#include <vector>

#include "layout/page_model.h"
#include "layout/reading_order.h"

namespace docmill {

// Groups of indices into `lines`, one group per display equation. A group holds math (math
// fonts, or a text dense in symbols), hardly any prose, and is set apart from the text around
// it: indented or centred in its column, or numbered "(3)" at the right. A formula that runs in
// a line starting at the column's edge is inline math in a paragraph, and is not a group.
std::vector<std::vector<int>> find_display_equations(std::span<const TextLine> lines,
                                                     float body_size);

// "(3)", "(12b)", "(2.4)", "(A1)": an equation's number.
bool is_equation_number(std::string_view text);

// Moves the lines of each equation (`equation_of[line]` >= 0 names its group; figures and other
// lines have -1) next to the first of them in `order`: a reading flow may put a line of another
// column between the pieces of a formula.
void keep_equations_together(std::vector<OrderedItem>& order, std::span<const int> equation_of);

}  // namespace docmill
