#include "pdf/hidden_text.h"

#include <algorithm>

namespace docmill {

bool has_hidden_ocr_layer(const TextLayer& layer, PageSize size) {
  // A few invisible glyphs (a search overlay on a logo) do not make a page a scan.
  constexpr int kMinGlyphs = 20;
  constexpr float kMinInvisibleShare = 0.9f;
  constexpr float kMinImageShare = 0.5f;
  const int total = layer.invisible_glyphs + layer.painted_glyphs;
  if (layer.invisible_glyphs < kMinGlyphs) return false;
  if (static_cast<float>(layer.invisible_glyphs) < kMinInvisibleShare * static_cast<float>(total))
    return false;
  const Box page{0, 0, size.width, size.height};
  float largest = 0;
  for (const auto& img : layer.placed_images) {
    largest = std::max(largest, img.box.intersected(page).area());
  }
  for (const auto& img : layer.images) largest = std::max(largest, img.intersected(page).area());
  return largest >= kMinImageShare * page.area();
}

}  // namespace docmill
