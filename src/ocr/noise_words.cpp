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

void drop_mark_lines(std::vector<TextLine>& lines) {
  if (lines.size() < 3) return;
  std::vector<float> heights;
  heights.reserve(lines.size());
  for (const auto& l : lines) heights.push_back(l.box.height());
  const auto mid = heights.begin() + static_cast<long>(heights.size() / 2);
  std::nth_element(heights.begin(), mid, heights.end());
  const float typical = *mid;
  std::erase_if(lines, [&](const TextLine& l) {
    const auto chars = static_cast<size_t>(
        std::ranges::count_if(l.text, [](char c) { return (c & 0xC0) != 0x80 && c != ' '; }));
    if (chars == 0 || chars > 2) return false;
    const float h = l.box.height();
    const bool speck = h < 0.4f * typical;
    const bool rule = l.box.width() > 4.f * std::max(h, 1.f) * static_cast<float>(chars);
    return speck || rule;
  });
}

}  // namespace docmill
