#include "core/raster.h"

#include <algorithm>
#include <cstring>

namespace docmill {

Raster crop(const Raster& r, int x0, int y0, int x1, int y1) {
  x0 = std::clamp(x0, 0, r.width);
  x1 = std::clamp(x1, x0, r.width);
  y0 = std::clamp(y0, 0, r.height);
  y1 = std::clamp(y1, y0, r.height);
  Raster out{x1 - x0, y1 - y0, r.channels, {}};
  out.pixels.resize(static_cast<size_t>(out.stride()) * out.height);
  for (int y = 0; y < out.height; ++y) {
    std::memcpy(&out.pixels[static_cast<size_t>(y) * out.stride()],
                &r.pixels[static_cast<size_t>(y0 + y) * r.stride() + x0 * r.channels],
                out.stride());
  }
  return out;
}

Raster rotate_clockwise(const Raster& r, int degrees) {
  degrees = ((degrees % 360) + 360) % 360;
  if (degrees != 90 && degrees != 180 && degrees != 270) return r;
  const bool swap = degrees != 180;
  Raster out{swap ? r.height : r.width, swap ? r.width : r.height, r.channels, {}};
  out.pixels.resize(r.pixels.size());
  const int c = r.channels;
  for (int y = 0; y < r.height; ++y) {
    for (int x = 0; x < r.width; ++x) {
      int nx = x, ny = y;
      if (degrees == 90) {
        nx = r.height - 1 - y;
        ny = x;
      } else if (degrees == 180) {
        nx = r.width - 1 - x;
        ny = r.height - 1 - y;
      } else {
        nx = y;
        ny = r.width - 1 - x;
      }
      std::memcpy(&out.pixels[static_cast<size_t>(ny) * out.stride() + nx * c],
                  &r.pixels[static_cast<size_t>(y) * r.stride() + x * c], c);
    }
  }
  return out;
}

Raster to_gray(const Raster& r) {
  if (r.channels == 1) return r;
  Raster out{r.width, r.height, 1, {}};
  out.pixels.resize(static_cast<size_t>(r.width) * r.height);
  for (size_t i = 0; i < out.pixels.size(); ++i) {
    const auto* p = &r.pixels[i * r.channels];
    out.pixels[i] = static_cast<std::uint8_t>((299 * p[0] + 587 * p[1] + 114 * p[2]) / 1000);
  }
  return out;
}

}  // namespace docmill
