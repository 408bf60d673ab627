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

// Orientation detection's answer: the clockwise turn that would make the text upright and how
// sure it is (Tesseract's OSD confidence: about 2 and up is an answer, 10 and up a clear one).
struct OrientationGuess {
  int degrees = 0;
  float confidence = 0;
};

class OcrEngine {
 public:
  virtual ~OcrEngine() = default;

  // Degrees (0, 90, 180, 270) to turn the image clockwise so its text stands upright;
  // 0 when unsure.
  virtual Result<int> detect_rotation(const Raster& gray, int dpi) = 0;

  // The turn orientation detection proposes, with its confidence, however unsure. Engines that
  // only know detect_rotation answer its turn as a confident one.
  virtual Result<OrientationGuess> detect_orientation(const Raster& gray, int dpi) {
    auto deg = detect_rotation(gray, dpi);
    if (!deg) return std::unexpected(deg.error());
    return OrientationGuess{*deg, *deg != 0 ? 100.f : 0.f};
  }

  // Reads the text of an upright gray image. `lang` is Tesseract's form, e.g. "eng+deu".
  // Returns kCancelled as soon as `stop` is requested.
  virtual Result<OcrPage> recognize(const Raster& gray, int dpi, std::string_view lang,
                                    std::stop_token stop) = 0;
};

}  // namespace docmill
