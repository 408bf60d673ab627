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

// The resolution (pixels per inch on the page) of the largest image when it covers at least
// 60% of the page; nullopt for other pages.
std::optional<float> page_image_ppi(const std::vector<ImagePlacement>& images, PageSize size);

// The OCR render resolution: `requested` for pages without a page image; otherwise the
// image's resolution (300 when under 250 ppi), never under `requested` nor over 600. Within 3%
// of `requested` it is `requested` (a 300 ppi scan whose page size is rounded stays at 300).
double ocr_render_dpi(std::optional<float> image_ppi, int requested);

}  // namespace docmill
