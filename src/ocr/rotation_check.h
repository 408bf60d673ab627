#pragma once
// Turning a page only when sure. Orientation detection (OSD) alone turned pages it could not
// read (a handwritten page went upside down): a proposed turn is taken only when OSD is
// confident and a strip of the page, read by OCR both ways, reads better turned.
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>

#include "core/raster.h"
#include "layout/page_model.h"
#include "ocr/ocr_engine.h"

namespace docmill {

// The horizontal band, a sixth of the image's height, with the most dark pixels: the cheap
// sample of the page that OCR reads both ways.
Raster ink_strip(const Raster& gray);

// Fills `report.reason` and `report.applied` and returns the turn to apply (report.proposed or
// 0) from OSD's confidence and the strip confidences: turned only when OSD's confidence is at
// least 2, the turned strip reads at 60 or more and, for a half turn, at least 10 points more
// confidently than the strip as it is (for a quarter turn, at most 5 points less: Tesseract
// reads vertical lines turned by itself, so a sideways strip reads nearly as well).
int decide_rotation(RotationReport& report);

// Whether a page, read as it is, shows it stands upright, so that orientation detection need
// not be asked: enough words, read confidently, on horizontal lines. Tesseract reads an
// upside-down page at 30–60 and a sideways page's lines turned, as boxes taller than wide, so
// neither passes; upright print reads at 85–96. Pages that fail (sparse, handwritten, a
// table of contents whose dot leaders lower the confidence) get the whole check.
bool reads_upright(const OcrPage& page);

// A page read upright: the reading, the turn applied to the image before it (0 when none), the
// check's report when orientation detection proposed a turn, and OSD's own error (no model) as a
// warning for the page.
struct UprightReading {
  OcrPage ocr;
  int rotation = 0;
  std::optional<RotationReport> check;
  std::optional<std::string> warning;
};

// Reads an OCR-resolution gray page as it is and, only when that reading does not show it
// upright (reads_upright), checks its orientation: OSD, then for a confident, non-zero answer the
// strips. A page turned by the check is turned in `gray` and read again. kCancelled when stopped.
Result<UprightReading> read_upright(OcrEngine& ocr, Raster& gray, int dpi, std::string_view lang,
                                    std::stop_token stop);

}  // namespace docmill
