#include "ocr/rotation_check.h"

#include <fmt/format.h>

namespace docmill {
namespace {

constexpr float kMinOsdConfidence = 2.0f;
// Points of mean word confidence a half turn must gain: OCR of text upside down reads at
// 30–60, upright print at 80–95; a tie is not a reason to turn.
constexpr float kMinGain = 10.0f;
// Tesseract's layout analysis finds vertical lines and reads them turned, so a sideways strip
// reads about as well as it does turned (measured on a sideways scan: 93 as it is, 95 turned):
// a quarter turn is refused only when the turned strip reads clearly worse.
constexpr float kMaxQuarterTurnLoss = 5.0f;
// A turned strip that reads this poorly (handwriting, a photo) is no evidence for the turn.
constexpr float kMinTurnedConfidence = 60.0f;

// reads_upright: the words a page needs for its reading to say anything, the mean confidence
// that counts as reading well, and the share of words on vertical lines it may have (a table's
// turned column heads, a margin note).
constexpr size_t kMinWordsToJudge = 30;
constexpr float kMinUprightConfidence = 80.0f;
constexpr size_t kMaxVerticalWordsInTen = 1;

// Mean word confidence of OCR on `strip`; 0 when it finds no words.
Result<float> strip_confidence(OcrEngine& ocr, const Raster& strip, int dpi, std::string_view lang,
                               std::stop_token stop) {
  auto read = ocr.recognize(strip, dpi, lang, stop);
  if (!read) return std::unexpected(read.error());
  return read->lines.empty() ? 0.f : read->mean_confidence;
}

// The whole check on an OCR-resolution gray page: OSD, then (for a confident, non-zero answer)
// the strips. nullopt when OSD proposes no turn; kCancelled when stopped; OSD's own error
// (no model) is passed on.
Result<std::optional<RotationReport>> check_rotation(OcrEngine& ocr, const Raster& gray, int dpi,
                                                     std::string_view lang, std::stop_token stop) {
  auto guess = ocr.detect_orientation(gray, dpi);
  if (!guess) return std::unexpected(guess.error());
  if (guess->degrees == 0) return std::nullopt;
  RotationReport r;
  r.proposed = guess->degrees;
  r.osd_confidence = guess->confidence;
  if (r.osd_confidence >= kMinOsdConfidence) {
    auto as_is = strip_confidence(ocr, ink_strip(gray), dpi, lang, stop);
    if (!as_is) return std::unexpected(as_is.error());
    auto turned =
        strip_confidence(ocr, ink_strip(rotate_clockwise(gray, r.proposed)), dpi, lang, stop);
    if (!turned) return std::unexpected(turned.error());
    r.strip_confidence_as_is = *as_is;
    r.strip_confidence_turned = *turned;
  }
  decide_rotation(r);
  return r;
}

}  // namespace

Raster ink_strip(const Raster& gray) {
  const int band = std::max(1, gray.height / 6);
  if (gray.channels != 1 || gray.height <= band) return gray;
  std::vector<long long> dark(static_cast<size_t>(gray.height), 0);
  for (int y = 0; y < gray.height; ++y) {
    const std::uint8_t* row = &gray.pixels[static_cast<size_t>(y) * gray.stride()];
    long long n = 0;
    for (int x = 0; x < gray.width; ++x) n += row[x] < 128;
    dark[static_cast<size_t>(y)] = n;
  }
  long long sum = 0;
  for (int y = 0; y < band; ++y) sum += dark[static_cast<size_t>(y)];
  long long best = sum;
  int best_top = 0;
  for (int top = 1; top + band <= gray.height; ++top) {
    sum += dark[static_cast<size_t>(top + band - 1)] - dark[static_cast<size_t>(top - 1)];
    if (sum > best) {
      best = sum;
      best_top = top;
    }
  }
  return crop(gray, 0, best_top, gray.width, best_top + band);
}

bool reads_upright(const OcrPage& page) {
  size_t words = 0, vertical = 0;
  for (const auto& line : page.lines) {
    words += line.words.size();
    // A one-word line's shape says little: "I", a digit, a short word in a large font.
    if (line.words.size() >= 2 && line.box.height() > line.box.width()) {
      vertical += line.words.size();
    }
  }
  return words >= kMinWordsToJudge && page.mean_confidence >= kMinUprightConfidence &&
         vertical * 10 <= words * kMaxVerticalWordsInTen;
}

int decide_rotation(RotationReport& r) {
  r.applied = 0;
  if (r.proposed == 0) {
    r.reason = "upright";
    return 0;
  }
  if (r.osd_confidence < kMinOsdConfidence) {
    r.reason = fmt::format(
        "not turned: orientation detection is unsure (confidence {:.1f}, under "
        "{:g})",
        r.osd_confidence, kMinOsdConfidence);
    return 0;
  }
  if (!r.strip_confidence_as_is || !r.strip_confidence_turned) {
    r.reason = "not turned: a strip of the page could not be read both ways";
    return 0;
  }
  const float as_is = *r.strip_confidence_as_is;
  const float turned = *r.strip_confidence_turned;
  if (turned < kMinTurnedConfidence) {
    r.reason = fmt::format("not turned: a strip reads poorly turned ({:.0f}, under {:g})", turned,
                           kMinTurnedConfidence);
    return 0;
  }
  const bool quarter = r.proposed == 90 || r.proposed == 270;
  if (quarter ? turned < as_is - kMaxQuarterTurnLoss : turned < as_is + kMinGain) {
    r.reason = fmt::format("not turned: a strip reads no better turned ({:.0f} vs {:.0f} as it is)",
                           turned, as_is);
    return 0;
  }
  r.reason = fmt::format(
      "turned: orientation detection is confident ({:.1f}) and a strip reads "
      "well turned ({:.0f} vs {:.0f} as it is)",
      r.osd_confidence, turned, as_is);
  r.applied = r.proposed;
  return r.proposed;
}

Result<UprightReading> read_upright(OcrEngine& ocr, Raster& gray, int dpi, std::string_view lang,
                                    std::stop_token stop) {
  auto first = ocr.recognize(gray, dpi, lang, stop);
  if (!first) return std::unexpected(first.error());
  UprightReading read;
  read.ocr = std::move(*first);
  if (reads_upright(read.ocr)) return read;
  auto check = check_rotation(ocr, gray, dpi, lang, stop);
  if (!check) {
    if (check.error().code == ErrorCode::kCancelled) return std::unexpected(check.error());
    read.warning = check.error().message;
    return read;
  }
  read.check = std::move(*check);
  if (!read.check || read.check->applied == 0) return read;
  read.rotation = read.check->applied;
  gray = rotate_clockwise(gray, read.rotation);
  auto turned = ocr.recognize(gray, dpi, lang, stop);
  if (!turned) return std::unexpected(turned.error());
  read.ocr = std::move(*turned);
  return read;
}

}  // namespace docmill
