#include "ocr/noise_words.h"

#include <algorithm>

namespace docmill {

bool is_likely_noise(std::string_view word, float confidence) {
  constexpr float kMinConfidence = 60;
  constexpr size_t kMaxChars = 3;
  if (word.empty() || confidence >= kMinConfidence) return false;
  // Characters, not bytes: a CJK character is three bytes of UTF-8.
  const auto chars = std::ranges::count_if(word, [](char c) { return (c & 0xC0) != 0x80; });
  if (static_cast<size_t>(chars) > kMaxChars) return false;
  // Page numbers and references read with low confidence are still worth keeping.
  return !std::ranges::all_of(word, [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace docmill
