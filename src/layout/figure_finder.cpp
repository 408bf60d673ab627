#include "layout/figure_finder.h"

#include <algorithm>
#include <numeric>

namespace docmill {
namespace {

constexpr float kJoin = 6.f;            // drawings this close (points) belong to one figure
constexpr size_t kMaxClustered = 4000;  // beyond this a page is all drawing; keep it cheap

Box grown(const Box& b, float d) {
  return {b.x0 - d, b.y0 - d, b.x1 + d, b.y1 + d};
}

struct Cluster {
  Box box;
  int count = 0;  // drawings in it
  int solid = 0;  // drawings that are more than a line (curves, areas, frames)
  std::vector<Box> members;
};

// Drawings whose centre lies well inside the cluster: a plot's curves and bars, not the
// pieces of a frame around an empty or text-only area.
int interior_count(const Cluster& c) {
  const float mx = 0.15f * c.box.width(), my = 0.15f * c.box.height();
  return static_cast<int>(std::ranges::count_if(c.members, [&](const Box& b) {
    return b.cx() > c.box.x0 + mx && b.cx() < c.box.x1 - mx && b.cy() > c.box.y0 + my &&
           b.cy() < c.box.y1 - my;
  }));
}

bool is_line(const Box& b) {
  return std::min(b.width(), b.height()) < 3.f;
}

// Groups boxes that touch, transitively (union-find over pairs: at most kMaxClustered^2 tests).
std::vector<Cluster> clusters(const std::vector<Box>& boxes) {
  std::vector<size_t> parent(boxes.size());
  std::iota(parent.begin(), parent.end(), 0);
  const auto root = [&](size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  for (size_t i = 0; i < boxes.size(); ++i) {
    const Box near = grown(boxes[i], kJoin);
    for (size_t j = i + 1; j < boxes.size(); ++j) {
      if (!near.intersected(boxes[j]).empty()) parent[root(j)] = root(i);
    }
  }
  std::vector<Cluster> out;
  std::vector<int> slot(boxes.size(), -1);
  for (size_t i = 0; i < boxes.size(); ++i) {
    const size_t r = root(i);
    if (slot[r] < 0) {
      slot[r] = static_cast<int>(out.size());
      out.emplace_back();
    }
    Cluster& c = out[static_cast<size_t>(slot[r])];
    c.box = c.box.united(boxes[i]);
    ++c.count;
    c.solid += is_line(boxes[i]) ? 0 : 1;
    c.members.push_back(boxes[i]);
  }
  return out;
}

}  // namespace

std::vector<Box> find_figures(std::span<const Box> images, std::span<const Box> drawings,
                              std::span<const TextLine> lines, float page_width,
                              float page_height) {
  const float page_area = page_width * page_height;
  std::vector<Box> marks;
  for (const auto& d : drawings) {
    // Page backgrounds, and hairlines (rules, underlines, table borders), are not figures.
    if (d.area() > 0.9f * page_area) continue;
    if (std::min(d.width(), d.height()) < 1.5f) continue;
    marks.push_back(d);
    if (marks.size() >= kMaxClustered) break;
  }
  std::vector<Box> figures;
  for (const auto& cluster : clusters(marks)) {
    const Box& box = cluster.box;
    // An empty frame is a rectangle or four rules; a plot has curves, bars or many marks,
    // some of them well inside it.
    if (cluster.solid < 2 && cluster.count < 12) continue;
    if (interior_count(cluster) < 2) continue;
    if (box.width() < 50 || box.height() < 40 || box.area() < 0.02f * page_area) {
      continue;
    }
    // A frame or shaded box around text (a table, a highlighted paragraph) is mostly text.
    float text_area = 0;
    for (const auto& l : lines) {
      if (l.box.fraction_inside(box) > 0.8f) text_area += l.box.area();
    }
    if (text_area > 0.35f * box.area()) continue;
    figures.push_back(box);
  }
  // Placed images join the drawn figure they sit in (a plot with an embedded raster).
  for (const auto& img : images) {
    auto it =
        std::ranges::find_if(figures, [&](const Box& f) { return img.fraction_inside(f) > 0.5f; });
    if (it != figures.end()) {
      *it = it->united(img);
    } else {
      figures.push_back(img);
    }
  }
  return figures;
}

}  // namespace docmill
