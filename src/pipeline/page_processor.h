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
#include "pipeline/page_limits.h"

namespace docmill {

class PageProcessor {
 public:
  explicit PageProcessor(OcrEngine& ocr, PageLimits limits = {}) : ocr_(ocr), limits_(limits) {}

  // A page that cannot be read comes back with `error` set and method kFailed: damaged, past
  // the time limit, out of memory. A page too large for the pixel budget is rendered at a lower
  // dpi, with a warning. The only error returned is kCancelled, when `stop` was requested.
  Result<PageResult> process(PdfDocument& doc, int page_index, const ReadOptions& options,
                             const std::filesystem::path& images_dir, std::stop_token stop);

 private:
  OcrEngine& ocr_;
  PageLimits limits_;
};

}  // namespace docmill
