#pragma once
// Tables framed by ruling lines: a stack of horizontal rules over one x-range (booktabs' top,
// mid and bottom rules, or every line of a ruled grid) with aligned text between them.
#include <vector>

#include "layout/page_model.h"
#include "layout/rule_lines.h"

namespace docmill {

struct TableRegion {
  Box box;
  std::vector<int> lines;  // indices into the page's lines, in the order given
  std::string text;        // the table as markdown, or HTML when a cell spans
};

// The ruled tables among `lines`: each region's lines make one table. Lines belong to one
// region at most.
std::vector<TableRegion> find_table_regions(const std::vector<TextLine>& lines,
                                            const RuleLines& rules);

}  // namespace docmill
