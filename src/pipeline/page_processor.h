#pragma once
// One page, start to end: text layer or render + orientation + OCR, then layout, then the
// page's figures cropped from the render and written as JPEGs. On the VLM engine: a render sent
// to the model, its answer placed on the page (its text blocks taking a usable text layer's
// characters), figures cropped, and the embedded path as the fallback. Any worker can call it
// for any page of any document; it holds nothing between calls but the engines it was given.
#include <filesystem>
#include <stop_token>

#include "core/error.h"
#include "core/read_options.h"
#include "layout/page_model.h"
#include "ocr/ocr_engine.h"
#include "pdf/pdf_document.h"
#include "pipeline/core_turns.h"
#include "pipeline/page_limits.h"
#include "vlm/vlm_engine.h"

namespace docmill {

class PageProcessor {
 public:
  // `vlm` may be null (no model server configured: pages asking for it are read by the
  // embedded engine). `turns` bounds the threads on a core at once and is told when this
  // thread waits; the default bounds nothing.
  explicit PageProcessor(OcrEngine& ocr, PageLimits limits = {}, VlmEngine* vlm = nullptr,
                         CoreTurns turns = CoreTurns())
      : ocr_(ocr), limits_(limits), vlm_(vlm), turns_(std::move(turns)) {}

  // A page that cannot be read comes back with `error` set and method kFailed: damaged, past
  // the time limit, out of memory. A page too large for the pixel budget is rendered at a lower
  // dpi, with a warning. Errors returned: kCancelled, when `stop` was requested; kUnavailable,
  // when the model server stayed down through the retries and DOCMILL_VLM_FALLBACK is `fail`
  // (the page is not at fault: the caller puts it off for later). An empty `images_dir`: no
  // figures are cropped or written (their blocks stay).
  Result<PageResult> process(PdfDocument& doc, int page_index, const ReadOptions& options,
                             const std::filesystem::path& images_dir, std::stop_token stop);

  CoreTurns& turns() { return turns_; }

 private:
  OcrEngine& ocr_;
  PageLimits limits_;
  VlmEngine* vlm_;
  CoreTurns turns_;
};

}  // namespace docmill
