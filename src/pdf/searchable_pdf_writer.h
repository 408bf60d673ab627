#pragma once
// searchable.pdf: the input as it is, with an invisible text layer (render mode 3) laid word by
// word over each OCR'd page, so that selecting, searching and copying work on a scan. Each word
// is set in a glyph-less font (every glyph empty, every advance half an em) and stretched
// (Tz) to its OCR box, on its line's baseline; pages read from their text layer are left as
// they are. The file is written as an incremental update of the input where MuPDF can, so the
// original's bytes, metadata and outline stay untouched.
#include <filesystem>
#include <span>
#include <string_view>

#include "core/error.h"
#include "layout/page_model.h"

namespace docmill {

// `font` is a TrueType font whose glyph 1 is empty (Tesseract's pdf.ttf); `pages` the processed
// pages, of which those with `ocr_lines` get a text layer.
Status write_searchable_pdf(const std::filesystem::path& input, std::span<const PageResult> pages,
                            std::string_view font, const std::filesystem::path& output);

}  // namespace docmill
