#pragma once
// Per page: read the text layer, or render and OCR.
#include "layout/page_model.h"
#include "pdf/pdf_document.h"

namespace docmill {

// Share of a text layer's words that look like words (letters with a vowel, CJK, numbers):
// low for the invisible text of a poor OCR pass or for fonts with scrambled encodings.
float word_likeness(const TextLayer& layer);

// kTextLayer when the page has a usable text layer, kOcr otherwise: no text, glyphs without a
// Unicode mapping, or an OCR text layer over a page-sized image that reads like noise.
ReadMethod choose_read_method(const TextLayer& layer, PageSize size, bool force_ocr);

}  // namespace docmill
