#pragma once
// The resolution a page is rendered at for OCR. A vector page is drawn at the requested dpi. A
// page that is essentially one scanned image is read at the image's own resolution: rendering
// a 400 ppi scan at 300 throws detail away, and a 200 ppi scan (a newspaper) rendered at its
// own pixels is too coarse for Tesseract, so low resolutions are upsampled to 300. The request
// is the floor either way, and 600 the ceiling.
#include <optional>
#include <vector>

#include "pdf/pdf_document.h"

namespace docmill {

// The image a scanned page is: the largest image when it covers at least 60% of the page.
struct PageImage {
  float ppi = 0;  // its resolution, pixels per inch on the page
  bool bilevel = false;
};

std::optional<PageImage> page_image(const std::vector<ImagePlacement>& images, PageSize size);

// The OCR render resolution: `requested` for pages without a page image; otherwise the
// image's resolution (300 when under 250 ppi), never under `requested` nor over 600. Within 3%
// of `requested` it is `requested` (a 300 ppi scan whose page size is rounded stays at 300),
// except for a bilevel image: drawn at exactly its own resolution, each pixel of the render is
// one of the scan's, black or white, and goes to Tesseract as it is (ocr/tesseract_engine).
double ocr_render_dpi(std::optional<PageImage> image, int requested);

}  // namespace docmill
