#include "layout/reading_order.h"

#include <algorithm>
#include <cmath>

namespace docmill {
namespace {
constexpr float kBucket = 2.f;       // histogram resolution, points
constexpr float kMinGutter = 7.f;    // narrowest gap taken for a gutter, points
constexpr float kWideShare = 0.55f;  // lines wider than this share of the page span columns
constexpr float kSideShare = 0.15f;  // each side of a gutter holds at least this share of lines
}  // namespace

std::vector<float> find_gutters(std::span<const Box> boxes, float page_width) {
  std::vector<float> gutters;
  // PDF caps a page at 14400 units of at most 75 points (about 1.1e6 pt); anything wider (or
  // not a number) is a broken page whose histogram would not fit in memory.
  if (boxes.size() < 6 || !(page_width > 0) || page_width > 2e6f) return gutters;
  const int n = static_cast<int>(std::ceil(page_width / kBucket)) + 1;
  // The histogram bucket of x, clamped to the page: a hostile text layer puts lines far off
  // the page (or at NaN), and a bucket outside the histogram would be read and written.
  const auto bucket = [&](float x) {
    return static_cast<int>(std::clamp(x / kBucket, 0.f, static_cast<float>(n - 1)));
  };
  std::vector<int> cover(n, 0);
  std::vector<const Box*> narrow;
  float left = page_width, right = 0;
  for (const auto& b : boxes) {
    if (!std::isfinite(b.x0) || !std::isfinite(b.x1)) continue;
    if (b.width() > kWideShare * page_width) continue;
    narrow.push_back(&b);
    left = std::min(left, b.x0);
    right = std::max(right, b.x1);
    for (int i = bucket(b.x0); i <= bucket(b.x1); ++i) ++cover[i];
  }
  if (narrow.size() < 6) return gutters;
  const int i_left = std::min(bucket(left) + 1, n - 1);
  const int i_right = std::max(bucket(right) - 1, 0);
  // A few centred lines (titles, authors, equations) may cross a real gutter: they become
  // barriers, so the gutter still counts when only a small share of lines cross it.
  const int allowed = static_cast<int>(0.15f * static_cast<float>(narrow.size()));
  int run_start = -1;
  for (int i = i_left; i <= i_right + 1; ++i) {
    const bool empty = i <= i_right && cover[i] <= allowed;
    if (empty && run_start < 0) run_start = i;
    if (!empty && run_start >= 0) {
      const float x0 = run_start * kBucket, x1 = i * kBucket;
      if (x1 - x0 >= kMinGutter) {
        const float g = (x0 + x1) / 2;
        const auto on_left =
            std::ranges::count_if(narrow, [&](const Box* b) { return b->x1 <= g; });
        const auto on_right = static_cast<long>(narrow.size()) - on_left;
        const auto min_side = static_cast<long>(kSideShare * static_cast<float>(narrow.size()));
        // Columns of text have long lines; the cells of a table, short ones. Only the former
        // are read column by column.
        float left_w = 0, right_w = 0;
        for (const Box* b : narrow) (b->x1 <= g ? left_w : right_w) += b->width();
        const bool text_columns =
            on_left > 0 && on_right > 0 &&
            std::min(left_w / static_cast<float>(on_left),
                     right_w / static_cast<float>(on_right)) >= 0.08f * page_width;
        if (text_columns && on_left >= std::max(3L, min_side) &&
            on_right >= std::max(3L, min_side)) {
          gutters.push_back(g);
        }
      }
      run_start = -1;
    }
  }
  return gutters;
}

std::vector<OrderedItem> reading_order(std::span<const Box> boxes, float page_width) {
  const auto gutters = find_gutters(boxes, page_width);
  std::vector<int> by_top(boxes.size());
  for (size_t i = 0; i < boxes.size(); ++i) by_top[i] = static_cast<int>(i);
  std::ranges::stable_sort(by_top, [&](int a, int b) {
    if (std::abs(boxes[a].y0 - boxes[b].y0) > 1.f) return boxes[a].y0 < boxes[b].y0;
    return boxes[a].x0 < boxes[b].x0;
  });
  const auto crosses = [&](const Box& b) {
    return std::ranges::any_of(gutters, [&](float g) { return b.x0 < g - 1 && b.x1 > g + 1; });
  };
  const auto column_of = [&](const Box& b) {
    return static_cast<int>(std::ranges::count_if(gutters, [&](float g) { return b.cx() > g; }));
  };
  const int columns = static_cast<int>(gutters.size()) + 1;

  std::vector<OrderedItem> out;
  out.reserve(boxes.size());
  int band = 0;
  std::vector<std::vector<int>> band_columns(columns);
  const auto flush_band = [&] {
    for (int c = 0; c < columns; ++c) {
      for (int idx : band_columns[c]) out.push_back({idx, band * 64 + c});
      band_columns[c].clear();
    }
    ++band;
  };
  // Consecutive barriers (a title over several lines) form one full-width band together.
  bool in_barrier_band = false;
  for (int idx : by_top) {
    const Box& b = boxes[idx];
    if (!gutters.empty() && crosses(b)) {
      if (!in_barrier_band) flush_band();
      in_barrier_band = true;
      out.push_back({idx, band * 64});
      continue;
    }
    if (in_barrier_band) ++band;
    in_barrier_band = false;
    band_columns[column_of(b)].push_back(idx);
  }
  flush_band();
  return out;
}

}  // namespace docmill
