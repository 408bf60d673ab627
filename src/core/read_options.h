#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "core/engine_settings.h"

namespace docmill {

// What to do with a page whose text is an OCR layer someone drew invisibly over a scan
// (scanned books, OCRmyPDF output). kAuto: keep it when it reads like words, OCR the page
// again when it does not; kKeep: always keep it; kRedo: always OCR the page again.
enum class OcrExisting { kAuto, kKeep, kRedo };
std::string_view to_string(OcrExisting m);
std::optional<OcrExisting> parse_ocr_existing(std::string_view s);

// How a document's pages are read: the knobs of `docmill convert` and of an uploaded job.
struct ReadOptions {
  std::string lang = "eng";  // Tesseract languages, "eng+deu"
  // Render resolution of vector pages for OCR, and the least for pages that are one scanned
  // image (those are read at the image's own resolution: pipeline/scan_resolution.h).
  int dpi = 300;
  bool force_ocr = false;  // OCR even pages with a usable text layer
  EngineKind engine = EngineKind::kTesseract;
  OcrExisting ocr_existing = OcrExisting::kAuto;
};

}  // namespace docmill
