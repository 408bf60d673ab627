#pragma once
// Boxes in page space: PDF points (1/72 inch), origin top left, y down, as MuPDF reports them.
#include <algorithm>

namespace docmill {

struct Box {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;

  float width() const { return x1 - x0; }
  float height() const { return y1 - y0; }
  float area() const { return std::max(0.f, width()) * std::max(0.f, height()); }
  float cx() const { return (x0 + x1) / 2; }
  float cy() const { return (y0 + y1) / 2; }
  bool empty() const { return x1 <= x0 || y1 <= y0; }
  Box united(const Box& o) const {
    if (empty()) return o;
    if (o.empty()) return *this;
    return {std::min(x0, o.x0), std::min(y0, o.y0), std::max(x1, o.x1), std::max(y1, o.y1)};
  }
  Box intersected(const Box& o) const {
    return {std::max(x0, o.x0), std::max(y0, o.y0), std::min(x1, o.x1), std::min(y1, o.y1)};
  }
  // Share of this box's area that lies inside `o`.
  float fraction_inside(const Box& o) const {
    const float a = area();
    return a > 0 ? intersected(o).area() / a : 0.f;
  }
  bool operator==(const Box&) const = default;
};

// Two boxes on one printed row: their heights overlap by more than 60% of the smaller one.
inline bool on_one_row(const Box& a, const Box& b) {
  const float overlap = std::min(a.y1, b.y1) - std::max(a.y0, b.y0);
  return overlap > 0.6f * std::min(a.height(), b.height());
}

// The box as integers 0–999 relative to a page of `width` x `height` (x = round(px / W * 999)),
// the coordinate form of DeepSeek-OCR's grounding tags.
struct NormalizedBox {
  int x0, y0, x1, y1;
  bool operator==(const NormalizedBox&) const = default;
};
NormalizedBox normalize_box(const Box& b, float width, float height);

}  // namespace docmill
