#include "ocr/rule_finder.h"

#include <leptonica/allheaders.h>

#include <cstddef>
#include <memory>

namespace docmill {
namespace {

constexpr int kMaxRules = 2000;  // a page of hatching is not worth walking

struct PixFree {
  void operator()(Pix* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<Pix, PixFree>;

// Dark pixels (under mid-gray) as a 1 bpp image.
PixPtr binarized(const Raster& gray) {
  PixPtr pix(pixCreate(gray.width, gray.height, 8));
  if (!pix) return nullptr;
  l_uint32* data = pixGetData(pix.get());
  const int wpl = pixGetWpl(pix.get());
  for (int y = 0; y < gray.height; ++y) {
    l_uint32* line = data + static_cast<ptrdiff_t>(y) * wpl;
    const std::uint8_t* src = &gray.pixels[static_cast<size_t>(y) * gray.stride()];
    for (int x = 0; x < gray.width; ++x) SET_DATA_BYTE(line, x, src[x]);
  }
  return PixPtr(pixThresholdToBinary(pix.get(), 128));
}

// The bounding boxes of what survives an opening with a `w` x `h` brick.
void add_runs(Pix* bin, int w, int h, std::vector<Box>& out) {
  PixPtr opened(pixOpenCompBrick(nullptr, bin, w, h));
  if (!opened) return;
  Boxa* boxes = pixConnCompBB(opened.get(), 8);
  if (boxes == nullptr) return;
  const int n = boxaGetCount(boxes);
  for (int i = 0; i < n && static_cast<int>(out.size()) < kMaxRules; ++i) {
    l_int32 x = 0, y = 0, bw = 0, bh = 0;
    if (boxaGetBoxGeometry(boxes, i, &x, &y, &bw, &bh) != 0) continue;
    out.push_back({static_cast<float>(x), static_cast<float>(y), static_cast<float>(x + bw),
                   static_cast<float>(y + bh)});
  }
  boxaDestroy(&boxes);
}

}  // namespace

std::vector<Box> find_drawn_rules(const Raster& gray, double dpi) {
  std::vector<Box> out;
  if (gray.channels != 1 || gray.empty() || dpi <= 0) return out;
  PixPtr bin = binarized(gray);
  if (!bin) return out;
  add_runs(bin.get(), std::max(8, static_cast<int>(0.4 * dpi)), 1, out);
  add_runs(bin.get(), 1, std::max(8, static_cast<int>(0.3 * dpi)), out);
  return out;
}

}  // namespace docmill
