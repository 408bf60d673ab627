#include "pipeline/page_limits.h"

#include <algorithm>
#include <cmath>

namespace docmill {

double dpi_within_budget(PageSize size, int dpi, long long max_pixels) {
  const auto fits = [&](double d) {
    const double w = std::ceil(size.width * d / 72.0) + 1;
    const double h = std::ceil(size.height * d / 72.0) + 1;
    return w * h <= static_cast<double>(max_pixels);
  };
  if (fits(dpi)) return dpi;
  // Area grows with the square of the resolution: start from the exact answer and step down
  // past rounding.
  const double exact = dpi * std::sqrt(static_cast<double>(max_pixels) /
                                       ((std::ceil(size.width * dpi / 72.0) + 1) *
                                        (std::ceil(size.height * dpi / 72.0) + 1)));
  if (exact >= 1) {
    int d = std::min(static_cast<int>(std::floor(exact)), dpi - 1);
    while (d > 1 && !fits(d)) --d;
    if (fits(d)) return d;
  }
  for (int hundredths = std::min(99, static_cast<int>(std::floor(exact * 100))); hundredths > 0;
       --hundredths) {
    if (fits(hundredths / 100.0)) return hundredths / 100.0;
  }
  return 0;
}

}  // namespace docmill
