#pragma once
// The OCR seam: the pipeline asks an OcrEngine for a page's orientation and its lines. One
// engine serves one thread at a time; each worker owns its own.
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/raster.h"
#include "layout/page_model.h"

namespace docmill {

// What OCR found on an image; boxes are in the image's pixels.
struct OcrPage {
  std::vector<TextLine> lines;  // in the engine's reading order; size is in pixels
  std::vector<Box> figures;     // regions the engine took for pictures
  float mean_confidence = 0;    // mean word confidence 0–100
};

class OcrEngine {
 public:
  virtual ~OcrEngine() = default;

  // Degrees (0, 90, 180, 270) to turn the image clockwise so its text stands upright;
  // 0 when unsure.
  virtual Result<int> detect_rotation(const Raster& gray, int dpi) = 0;

  // Reads the text of an upright gray image. `lang` is Tesseract's form, e.g. "eng+deu".
  // Returns kCancelled as soon as `stop` is requested.
  virtual Result<OcrPage> recognize(const Raster& gray, int dpi, std::string_view lang,
                                    std::stop_token stop) = 0;
};

}  // namespace docmill
