#pragma once
// The layout PDF: the input's pages with each block drawn as a rectangle annotation in its
// label's colour and the label written at its corner. Normally written into the input itself
// (text stays selectable); when that cannot be done, drawn on page renders instead.
#include <filesystem>
#include <span>

#include "core/error.h"
#include "layout/page_model.h"

namespace docmill {

// The input's own pages, untouched, with the boxes added.
Status write_layout_pdf(const std::filesystem::path& input, std::span<const PageResult> pages,
                        const std::filesystem::path& output);

// A new PDF with one image page per processed page, the size of the original, holding its
// render at `dpi` (at most `max_pixels`; a page that cannot be drawn stays white), with the same
// boxes. For inputs whose objects MuPDF can read page by page but not write back out.
Status write_layout_pdf_from_renders(const std::filesystem::path& input,
                                     std::span<const PageResult> pages,
                                     const std::filesystem::path& output, int dpi,
                                     long long max_pixels);

}  // namespace docmill
