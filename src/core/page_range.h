#pragma once
#include <string_view>
#include <vector>

#include "core/error.h"

namespace docmill {

// Parses a 1-based page selection such as "1-5,8" against a document of `page_count` pages
// and returns the 0-based page indices, ascending, without duplicates. An empty selection means
// every page. More than `max_pages` selected pages is kTooManyPages ("N pages selected, over the
// limit of M"; the caller adds the name of its setting), found before anything per page is
// allocated: a damaged page tree may claim a billion pages.
Result<std::vector<int>> parse_page_range(std::string_view spec, int page_count, int max_pages);

}  // namespace docmill
