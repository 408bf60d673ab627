#pragma once
// What is decided once all of a document's pages are read (pages are read one by one, possibly
// in different worker processes): running headers and footers, which show only by repeating
// across pages, and then the paragraphs cut within a page, joined again. The joins come last so
// that a running header is never taken for the start of the paragraph below it.
#include <span>

#include "layout/page_model.h"

namespace docmill {

void finish_document(std::span<PageResult> pages);

}  // namespace docmill
