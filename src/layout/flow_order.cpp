#include "layout/flow_order.h"

#include "layout/reading_order.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>

namespace docmill {
namespace {

// Flow words bucketed by the band of the page their vertical centre falls in, so a lookup
// looks at a few bands instead of every word of the page.
class FlowIndex {
 public:
  static constexpr float kBand = 8.f;  // points

  explicit FlowIndex(std::span<const Box> flow) : flow_(flow) {
    for (size_t i = 0; i < flow.size(); ++i) bands_[band_of(flow[i].cy())].push_back(i);
  }

  // The flow word whose box holds `p`'s centre (the nearest one when several do), or -1.
  long find(const Box& p) const {
    const float x = p.cx(), y = p.cy();
    long best = -1;
    float best_d = std::numeric_limits<float>::max();
    for (long b = band_of(y) - 2; b <= band_of(y) + 2; ++b) {
      const auto it = bands_.find(b);
      if (it == bands_.end()) continue;
      for (size_t i : it->second) {
        const Box& f = flow_[i];
        constexpr float slack = 1.f;
        if (x < f.x0 - slack || x > f.x1 + slack || y < f.y0 - slack || y > f.y1 + slack) continue;
        const float d = std::abs(f.cx() - x) + std::abs(f.cy() - y);
        if (d < best_d) {
          best_d = d;
          best = static_cast<long>(i);
        }
      }
    }
    return best;
  }

 private:
  static long band_of(float y) { return std::lround(std::floor(y / kBand)); }
  std::span<const Box> flow_;
  std::unordered_map<long, std::vector<size_t>> bands_;
};

}  // namespace

std::optional<std::vector<size_t>> flow_order(std::span<const TextLine> lines,
                                              std::span<const Box> flow) {
  if (flow.empty() && !lines.empty()) return std::nullopt;
  const FlowIndex index(flow);
  // Rank of a line: the earliest flow word on any of its words; unmatched lines keep the rank
  // of the line before them (ties keep the given order).
  std::vector<long> rank(lines.size());
  size_t matched_chars = 0, all_chars = 0;
  long last = -1;
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto& l = lines[i];
    long first = -1;
    const auto probe = [&](const Box& b) {
      const long k = index.find(b);
      if (k >= 0 && (first < 0 || k < first)) first = k;
    };
    if (l.word_boxes.empty()) probe(l.box);
    for (const auto& wb : l.word_boxes) probe(wb);
    all_chars += l.text.size();
    if (first >= 0) {
      matched_chars += l.text.size();
      last = first;
    }
    rank[i] = last;
  }
  // Below this share the page's readers disagree (a different box convention, text Poppler
  // does not see): the geometric order is the safer guess.
  if (matched_chars * 10 < all_chars * 9) return std::nullopt;
  std::vector<size_t> order(lines.size());
  std::iota(order.begin(), order.end(), 0);
  std::ranges::stable_sort(order, {}, [&](size_t i) { return rank[i]; });
  return order;
}

namespace {

// The column (region of reading_order, numbered in reading order) of each line.
std::vector<int> regions_of(std::span<const TextLine> lines, float page_width) {
  std::vector<Box> boxes;
  boxes.reserve(lines.size());
  for (const auto& l : lines) boxes.push_back(l.box);
  std::vector<int> region(lines.size(), 0);
  for (const auto& item : reading_order(boxes, page_width)) region[item.index] = item.region;
  return region;
}

}  // namespace

std::vector<size_t> by_columns(std::span<const TextLine> lines, std::vector<size_t> order,
                               float page_width) {
  std::vector<Box> boxes;
  boxes.reserve(lines.size());
  for (const auto& l : lines) boxes.push_back(l.box);
  const auto geometric = reading_order(boxes, page_width);
  std::vector<int> region(lines.size(), 0);
  std::vector<size_t> rank(lines.size(), 0);  // place in the geometric order
  for (size_t k = 0; k < geometric.size(); ++k) {
    region[geometric[k].index] = geometric[k].region;
    rank[geometric[k].index] = k;
  }
  std::ranges::stable_sort(order, {}, [&](size_t i) { return region[i]; });
  // Inside a column the flow's order is kept, unless it goes back up the column by more than
  // two lines (a section's body read after the next section): then the column is read top to
  // bottom. Smaller steps back are a formula's raised and lowered pieces.
  for (size_t start = 0; start < order.size();) {
    size_t end = start + 1;
    bool goes_back = false;
    for (; end < order.size() && region[order[end]] == region[order[start]]; ++end) {
      const Box& prev = lines[order[end - 1]].box;
      const Box& cur = lines[order[end]].box;
      goes_back = goes_back || cur.y0 < prev.y0 - 2 * std::max(prev.height(), cur.height());
    }
    if (goes_back) {
      std::sort(order.begin() + static_cast<long>(start), order.begin() + static_cast<long>(end),
                [&](size_t a, size_t b) { return rank[a] < rank[b]; });
    }
    start = end;
  }
  return order;
}

int column_returns(std::span<const TextLine> lines, std::span<const size_t> order,
                   float page_width) {
  const auto region = regions_of(lines, page_width);
  std::unordered_map<int, int> size;
  for (int r : region) ++size[r];
  std::unordered_map<int, bool> left;  // regions the flow has been in and left
  int returns = 0;
  int current = -1;
  for (size_t i : order) {
    const int r = region[i];
    if (r == current) continue;
    if (size[r] >= 3 && left[r]) ++returns;
    if (current >= 0) left[current] = true;
    current = r;
  }
  return returns;
}

}  // namespace docmill
