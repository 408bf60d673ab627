#pragma once
// Running headers and footers found across a document's pages: a line near the top or bottom
// edge whose text, digits masked, comes back at about the same height on another page
// ("Shared MIME-info Database" on every page, with no page number a single page could see).
// Pages are read independently, so this runs once all of them are in, before the outputs.
#include <span>
#include <string>
#include <string_view>

#include "layout/page_model.h"

namespace docmill {

// The text a running line keeps from page to page: digits masked, standalone numbers (the page
// number) dropped, spaces collapsed. "8 Schwarz et al." and "10 Schwarz et al." -> "Schwarz et
// al."; "Chapter 2: Syntax 3" -> "Chapter #: Syntax".
std::string running_key(std::string_view text);

// Relabels as `header` (top) or `footer` (bottom) the rows of blocks in a page's edge bands
// whose key repeats on another page at about the same height.
void label_running_furniture(std::span<PageResult> pages);

}  // namespace docmill
