#include "pipeline/page_limits.h"

#include <cmath>

namespace docmill {

int dpi_within_budget(PageSize size, int dpi, long long max_pixels) {
  const auto pixels_at = [&](int d) {
    const double w = std::ceil(size.width * d / 72.0) + 1;
    const double h = std::ceil(size.height * d / 72.0) + 1;
    return w * h;
  };
  if (pixels_at(dpi) <= static_cast<double>(max_pixels)) return dpi;
  // Area grows with the square of the resolution: start from the exact answer and step down
  // past rounding.
  int d = static_cast<int>(
      std::floor(dpi * std::sqrt(static_cast<double>(max_pixels) / pixels_at(dpi))));
  d = std::min(d, dpi - 1);
  while (d > 0 && pixels_at(d) > static_cast<double>(max_pixels)) --d;
  return std::max(d, 0);
}

}  // namespace docmill
