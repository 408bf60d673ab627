#pragma once
// Blank pages are skipped without OCR: a page that draws nothing, or whose low-resolution
// render has no ink on it, has no text to find.
#include "core/raster.h"

namespace docmill {

// Resolution of the render that looks for ink: a 10 pt line of text still darkens pixels at
// 36 dpi, and an A4 page is 298 x 421 pixels (a few milliseconds to draw).
inline constexpr int kBlankCheckDpi = 36;

// True when some pixel of `gray` is clearly darker than the page's lightest: text, lines or
// pictures. A page of one even tone (white, or a tinted background) has none.
bool has_ink(const Raster& gray);

}  // namespace docmill
