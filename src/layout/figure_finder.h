#pragma once
// Figures on text-layer pages: placed images, and clusters of vector drawing (plots, diagrams)
// that are not just rules or frames around text.
#include <span>
#include <vector>

#include "layout/page_model.h"

namespace docmill {

std::vector<Box> find_figures(std::span<const Box> images, std::span<const Box> drawings,
                              std::span<const TextLine> lines, float page_width, float page_height);

}  // namespace docmill
