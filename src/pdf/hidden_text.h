#pragma once
// A page whose text is all drawn invisibly (text render mode 3) over a picture of the page is a
// scan carrying someone else's OCR (scanned books, OCRmyPDF output). Its fonts say nothing
// about the printed page: a layer set in Courier is not code, and its content-stream order is
// whatever the other OCR engine wrote.
#include "pdf/pdf_document.h"

namespace docmill {

// True when at least 90% of the page's glyphs are laid out invisibly (and there are some) and
// one image covers at least half of the page.
bool has_hidden_ocr_layer(const TextLayer& layer, PageSize size);

}  // namespace docmill
