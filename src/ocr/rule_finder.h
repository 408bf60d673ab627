#pragma once
// Ruling lines in a page image: runs of dark pixels far longer than any glyph stroke, found by
// opening the binarized image with long thin structuring elements (Leptonica morphology). They
// let OCR pages find ruled tables as text-layer pages do with drawn rules.
#include <vector>

#include "core/raster.h"
#include "layout/geometry.h"

namespace docmill {

// Boxes (in pixels of `gray`, 8-bit) of horizontal runs at least 0.4 inch long and vertical runs
// at least 0.3 inch long, at `dpi`. Empty for an RGB raster or when Leptonica fails.
std::vector<Box> find_drawn_rules(const Raster& gray, double dpi);

}  // namespace docmill
