#pragma once
// One page, start to end: text layer or render + orientation + OCR, then layout, then the
// page's figures cropped from the render and written as JPEGs. Any worker can call it for any
// page of any document; it holds nothing between calls but the engine it was given.
#include <filesystem>
#include <stop_token>

#include "core/error.h"
#include "core/read_options.h"
#include "layout/page_model.h"
#include "ocr/ocr_engine.h"
#include "pdf/pdf_document.h"

namespace docmill {

class PageProcessor {
 public:
  explicit PageProcessor(OcrEngine& ocr) : ocr_(ocr) {}

  // A page that cannot be read comes back with `error` set and method kFailed; the only error
  // returned is kCancelled, when `stop` was requested.
  Result<PageResult> process(PdfDocument& doc, int page_index, const ReadOptions& options,
                             const std::filesystem::path& images_dir, std::stop_token stop);

 private:
  OcrEngine& ocr_;
};

}  // namespace docmill
