#pragma once
// The rows of a table of figures set without rules (dcolumn, plain tabular): a text layer gives
// each number as a line of its own, and a reading flow or a column finder then reads the grid
// column by column. Rows of such numbers are joined into one line each, cells kept apart by
// their word boxes, before anything orders the lines, so that table detection sees rows.
#include <vector>

#include "layout/page_model.h"

namespace docmill {

// True for a short line of figures: digits with decimal marks, signs, percent and brackets
// ("861.20", "−4", "1·23", "(12)", "3,5%").
bool is_figure_cell(std::string_view text);

// `lines` with each row of a grid of figure cells joined into one line: a grid is 3 or more
// consecutive rows of 2 or more such cells on one baseline, with nothing else on the row, and
// either 3 or more cells in every row or decimal marks or signs in half its cells (whole
// numbers two by two are rulers or margin numbers more often than a table).
std::vector<TextLine> join_number_rows(std::vector<TextLine> lines);

}  // namespace docmill
