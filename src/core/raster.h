#pragma once
// A page or figure as pixels: 8-bit gray (channels 1) or RGB (channels 3), rows packed.
#include <cstdint>
#include <vector>

namespace docmill {

struct Raster {
  int width = 0;
  int height = 0;
  int channels = 1;
  std::vector<std::uint8_t> pixels;  // width * channels bytes per row

  int stride() const { return width * channels; }
  bool empty() const { return width <= 0 || height <= 0; }
};

// The pixels of `r` inside [x0, x1) x [y0, y1), clamped to the raster.
Raster crop(const Raster& r, int x0, int y0, int x1, int y1);

// `r` turned clockwise by 90, 180 or 270 degrees (any other value returns a copy).
Raster rotate_clockwise(const Raster& r, int degrees);

// Luma of an RGB raster (a gray one is returned as it is).
Raster to_gray(const Raster& r);

}  // namespace docmill
