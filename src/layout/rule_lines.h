#pragma once
// Ruling lines: the thin horizontal and vertical strokes that frame and divide tables. They come
// from the text layer's drawings (filled or stroked paths) or from lines found in a page image.
#include <span>
#include <vector>

#include "layout/geometry.h"

namespace docmill {

struct RuleLines {
  std::vector<Box> horizontal;  // sorted by y, then x; collinear pieces joined
  std::vector<Box> vertical;    // sorted by x, then y; collinear pieces joined
};

// The marks thin enough to be rules (at most `max_thickness` points across and several times as
// long), with pieces on one line that touch joined: LaTeX draws an \hline per column, and
// \toprule or a cell border may come as several overlapping strokes. The default allows for
// MuPDF's bounds of a stroked hairline, which grow by half the width times the miter limit
// (0.4 pt wide strokes come out 4 pt thick).
RuleLines find_rule_lines(std::span<const Box> marks, float max_thickness = 4.5f);

}  // namespace docmill
