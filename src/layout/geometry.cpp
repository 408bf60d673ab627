#include "layout/geometry.h"

#include <cmath>

namespace docmill {
namespace {
int scale(float v, float extent) {
  if (extent <= 0) return 0;
  return std::clamp(static_cast<int>(std::lround(v / extent * 999.f)), 0, 999);
}
}  // namespace

NormalizedBox normalize_box(const Box& b, float width, float height) {
  return {scale(b.x0, width), scale(b.y0, height), scale(b.x1, width), scale(b.y1, height)};
}

}  // namespace docmill
