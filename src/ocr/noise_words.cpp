#include "ocr/noise_words.h"

#include <algorithm>

namespace docmill {

bool is_likely_noise(std::string_view word, float confidence) {
  constexpr float kMinConfidence = 60;
  constexpr size_t kMaxChars = 3;
  if (word.empty() || word.size() > kMaxChars || confidence >= kMinConfidence) return false;
  // The junk is ASCII; a short word with other letters is a real one ("für", a CJK word of
  // one to three characters, which Tesseract rates lower).
  if (std::ranges::any_of(word, [](char c) { return (c & 0x80) != 0; })) return false;
  // Page numbers and references read with low confidence are still worth keeping.
  return !std::ranges::all_of(word, [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace docmill
