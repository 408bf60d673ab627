#pragma once
#include <string>

#include "core/engine_settings.h"

namespace docmill {

// How a document's pages are read: the knobs of `docmill convert` and of an uploaded job.
struct ReadOptions {
  std::string lang = "eng";  // Tesseract languages, "eng+deu"
  int dpi = 300;             // render resolution for OCR
  bool force_ocr = false;    // OCR even pages with a usable text layer
  EngineKind engine = EngineKind::kTesseract;
};

}  // namespace docmill
