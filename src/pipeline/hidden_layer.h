#pragma once
// Reading a page whose text is someone else's OCR drawn invisibly over the scan
// (pdf/hidden_text.h): judge it, and when it is kept, take only its words and their positions.
#include <string_view>
#include <vector>

#include "core/read_options.h"
#include "layout/page_model.h"
#include "pdf/pdf_document.h"

namespace docmill {

// Share (0–1) of the layer's words that read like words of a language: numbers, letters with a
// vowel in one case pattern (lower, Capitalised, UPPER), no letters and digits mixed, no long
// consonant runs; non-ASCII words are trusted. 0 when there is no word at all.
float hidden_layer_quality(const std::vector<TextLine>& lines);

// Whether to keep the hidden layer as the page's text, with the reason, for `mode`. In kAuto a
// layer is kept when hidden_layer_quality reaches 0.75.
HiddenLayerReport judge_hidden_layer(OcrExisting mode, const std::vector<TextLine>& lines);

// The layer's words regrouped into lines by position alone: words whose vertical centres lie
// within half a word height of a row's are one row, read left to right and cut where the gap
// is over twice the row's word height (a column gutter). Style is dropped (no bold, italic or
// monospace: the hidden font is not the printed one) and a line's size is its median word
// height. Rows come top to bottom; layout puts them into columns.
std::vector<TextLine> lines_from_positions(const std::vector<TextLine>& lines);

// For a page with a hidden OCR layer: judges it (page.hidden_layer says what was done and why)
// and returns how to read the page. Kept: kTextLayer, the layer's lines regrouped by position,
// and the page-sized scan dropped from the layer's images (it is the page, not a figure).
// Not kept, or a layer whose glyphs mostly have no Unicode mapping: kOcr.
ReadMethod read_hidden_layer(TextLayer& layer, PageSize size, OcrExisting mode, PageResult& page);

}  // namespace docmill
