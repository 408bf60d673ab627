#pragma once
// Text that belongs to a figure: axis labels, tick values, legends, the labels of a diagram.
// It is part of the picture, not of the page's running text.
#include <span>
#include <string>
#include <vector>

#include "layout/page_model.h"

namespace docmill {

// For each line, the index of the figure that owns it, or -1. A figure owns the lines inside
// its box and short labels just outside it (ticks and axis titles sit beside the axes); never a
// caption ("Figure 3: ...") nor a long line that reads like a sentence, which a loosely found
// figure region may reach into.
std::vector<int> figure_owned_lines(std::span<const TextLine> lines, std::span<const Box> figures,
                                    float body_size);

// The text of the lines `owner` gives to figure `figure`, top to bottom, one line each.
std::string figure_text(std::span<const TextLine> lines, std::span<const int> owner, int figure);

}  // namespace docmill
