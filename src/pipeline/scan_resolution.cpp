#include "pipeline/scan_resolution.h"

#include <algorithm>
#include <cmath>

namespace docmill {

std::optional<PageImage> page_image(const std::vector<ImagePlacement>& images, PageSize size) {
  constexpr float kMinCover = 0.6f;
  const Box page{0, 0, size.width, size.height};
  const ImagePlacement* best = nullptr;
  float best_area = 0;
  for (const auto& img : images) {
    const float a = img.box.intersected(page).area();
    if (a > best_area && img.width_px > 0 && img.height_px > 0) {
      best_area = a;
      best = &img;
    }
  }
  if (best == nullptr || best_area < kMinCover * page.area()) return std::nullopt;
  // Pixels over the placed area, in square inches: the same for an image turned by 90 degrees.
  const double inches2 = static_cast<double>(best->box.area()) / (72.0 * 72.0);
  if (!(inches2 > 0)) return std::nullopt;
  const double pixels = static_cast<double>(best->width_px) * best->height_px;
  return PageImage{static_cast<float>(std::sqrt(pixels / inches2)), best->bilevel};
}

double ocr_render_dpi(std::optional<PageImage> image, int requested) {
  constexpr double kUpsampleBelow = 250;
  constexpr double kUpsampledTo = 300;
  constexpr double kMaxDpi = 600;
  constexpr double kSameWithin = 0.03;
  if (!image || !std::isfinite(image->ppi) || image->ppi <= 0) return requested;
  const double ppi = image->ppi;
  const bool own_pixels = image->bilevel && ppi >= kUpsampleBelow;
  double dpi = ppi < kUpsampleBelow ? kUpsampledTo : own_pixels ? ppi : std::round(ppi);
  dpi = std::clamp(dpi, static_cast<double>(requested), std::max<double>(requested, kMaxDpi));
  if (!(own_pixels && dpi == ppi) && std::abs(dpi - requested) <= kSameWithin * requested) {
    return requested;
  }
  return dpi;
}

}  // namespace docmill
