#pragma once
// Tables recovered from alignment: rows are lines on one baseline, cells are runs of words
// separated by wide gaps, and columns are the x-ranges where cells of different rows overlap.
#include <optional>
#include <string>
#include <vector>

#include "layout/page_model.h"

namespace docmill {

// A markdown table when the lines `idx` of `lines` form one (at least 3 rows, most with cells in
// 2 or more columns); nullopt otherwise.
std::optional<std::string> detect_table(const std::vector<TextLine>& lines,
                                        const std::vector<int>& idx);

}  // namespace docmill
