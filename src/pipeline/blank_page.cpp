#include "pipeline/blank_page.h"

#include <algorithm>

namespace docmill {

// Darker than the lightest pixel by this much counts as ink: anti-aliased 10 pt text at 36 dpi
// is darker than that, an even tint or faint paper texture is not. Erring towards ink only
// costs an OCR pass (a scanned sheet with specks is OCR'd as before).
constexpr int kInkContrast = 48;

bool has_ink(const Raster& gray) {
  if (gray.empty()) return false;
  const auto [lo, hi] = std::ranges::minmax(gray.pixels);
  return hi - lo >= kInkContrast;
}

}  // namespace docmill
