#pragma once
// What one page may cost: pixels per render and wall time. The same limits apply in `convert`
// and in a server's workers; a page past one fails (time) or degrades (pixels) with a message
// that names the limit.
#include <chrono>

#include "pdf/pdf_document.h"

namespace docmill {

struct PageLimits {
  // Pixels of one render: 50 M is an A4 page at 600 dpi twice over; a 14400 x 14400 pt page
  // at 300 dpi would be 3.6 G (10 GB of RGB).
  long long max_render_pixels = 50'000'000;
  // Wall time of one page, from its start to its result.
  std::chrono::milliseconds timeout{std::chrono::seconds(120)};
};

// The highest resolution, at most `dpi`, at which a page of `size` renders within
// `max_pixels` (MuPDF rounds the page's edges outward, hence a pixel of margin each way): a
// whole number from 1 dpi up, in hundredths below (a 1,080,000 pt page, UserUnit 75, fits
// 50 M pixels at 0.47 dpi); 0 when not even 0.01 dpi does.
double dpi_within_budget(PageSize size, int dpi, long long max_pixels);

}  // namespace docmill
