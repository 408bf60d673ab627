#pragma once
// Reading order for pages with one or more columns.
//
// Column gutters are found from a histogram of where the narrower lines lie: a run of empty
// x-positions with substantial text on both sides. The gutter that the fewest lines cross splits
// the page; a line (or figure) that crosses it is a barrier, like a title or a full-width
// figure: it ends one band of columns and starts the next. Within a band the left side is read
// before the right, and each side is ordered the same way on its own (recursively), so that
// columns inside one column (a table of contents and its page numbers) are judged against that
// column's lines, not the page's.
#include <span>
#include <vector>

#include "layout/geometry.h"

namespace docmill {

struct OrderedItem {
  int index;   // into the boxes given
  int region;  // items that share a region sit in the same column of the same band; regions
               // are numbered in reading order
};

// x-positions of the column gutters on a page of `page_width` whose text lines are `boxes`.
std::vector<float> find_gutters(std::span<const Box> boxes, float page_width);

// `boxes` (lines and figures) in reading order.
std::vector<OrderedItem> reading_order(std::span<const Box> boxes, float page_width);

}  // namespace docmill
