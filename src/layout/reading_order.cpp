#include "layout/reading_order.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

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

namespace {

constexpr int kMaxDepth = 4;  // columns within columns within columns: deeper is noise

class RegionOrder {
 public:
  RegionOrder(std::span<const Box> boxes, float page_width)
      : boxes_(boxes), page_width_(page_width) {}

  std::vector<OrderedItem> run() {
    std::vector<int> all(boxes_.size());
    for (size_t i = 0; i < boxes_.size(); ++i) all[i] = static_cast<int>(i);
    order(std::move(all), 0);
    return std::move(out_);
  }

 private:
  // Top to bottom, left to right among boxes that start at the same height.
  void sort_by_top(std::vector<int>& items) const {
    std::ranges::stable_sort(items, [&](int a, int b) {
      if (std::abs(boxes_[a].y0 - boxes_[b].y0) > 1.f) return boxes_[a].y0 < boxes_[b].y0;
      return boxes_[a].x0 < boxes_[b].x0;
    });
  }

  void leaf(std::vector<int> items) {
    if (items.empty()) return;
    sort_by_top(items);
    for (int idx : items) out_.push_back({idx, next_region_});
    ++next_region_;
  }

  bool crosses(const Box& b, float g) const { return b.x0 < g - 1 && b.x1 > g + 1; }

  // The gutter the fewest items cross (the leftmost among equals): the region's main split.
  // Columns inside one side (a table of contents with its page numbers) are only looked for
  // within that side, where they are judged against that side's lines alone.
  std::optional<float> main_gutter(const std::vector<int>& items) const {
    std::vector<Box> boxes;
    boxes.reserve(items.size());
    for (int idx : items) boxes.push_back(boxes_[idx]);
    std::optional<float> best;
    long best_crossing = 0;
    for (float g : find_gutters(boxes, page_width_)) {
      const long crossing =
          std::ranges::count_if(boxes, [&](const Box& b) { return crosses(b, g); });
      if (!best || crossing < best_crossing) {
        best = g;
        best_crossing = crossing;
      }
    }
    return best;
  }

  // A gutter's barriers (items that cross it: a title, a full-width figure) cut the region into
  // bands; within a band the left side is read before the right, each side ordered on its own.
  void order(std::vector<int> items, int depth) {
    const auto gutter = depth < kMaxDepth ? main_gutter(items) : std::nullopt;
    if (!gutter) {
      leaf(std::move(items));
      return;
    }
    sort_by_top(items);
    std::vector<int> left, right, barriers;
    const auto flush_band = [&] {
      order(std::move(left), depth + 1);
      order(std::move(right), depth + 1);
      left.clear();
      right.clear();
    };
    for (int idx : items) {
      const Box& b = boxes_[idx];
      if (crosses(b, *gutter)) {
        if (barriers.empty()) flush_band();
        barriers.push_back(idx);
        continue;
      }
      // Consecutive barriers (a title over several lines) form one full-width band together.
      if (!barriers.empty()) leaf(std::exchange(barriers, {}));
      (b.cx() < *gutter ? left : right).push_back(idx);
    }
    leaf(std::move(barriers));
    flush_band();
  }

  std::span<const Box> boxes_;
  float page_width_;
  std::vector<OrderedItem> out_;
  int next_region_ = 0;
};

}  // namespace

std::vector<OrderedItem> reading_order(std::span<const Box> boxes, float page_width) {
  return RegionOrder(boxes, page_width).run();
}

}  // namespace docmill
