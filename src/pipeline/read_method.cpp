#include "pipeline/read_method.h"

#include <cctype>
#include <optional>
#include <string_view>

namespace docmill {
namespace {

// nullopt for tokens that are only punctuation (dot leaders, dashes): they say nothing.
std::optional<bool> looks_like_word(std::string_view w) {
  int letters = 0, vowels = 0, digits = 0, other = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(w[i]);
    if (c >= 0x80) return true;  // non-ASCII scripts: trust the layer's mapping
    if (std::isalpha(c)) {
      ++letters;
      const char l = static_cast<char>(std::tolower(c));
      vowels += l == 'a' || l == 'e' || l == 'i' || l == 'o' || l == 'u' || l == 'y';
    } else if (std::isdigit(c)) {
      ++digits;
    } else if (!std::ispunct(c)) {
      ++other;
    }
  }
  if (letters == 0 && digits == 0) return std::nullopt;
  if (letters == 0) return true;
  return (vowels > 0 || letters <= 3) && other == 0;
}

}  // namespace

float word_likeness(const TextLayer& layer) {
  int words = 0, good = 0;
  for (const auto& line : layer.lines) {
    for (const auto& w : line.words) {
      const auto word = looks_like_word(w);
      if (!word) continue;
      ++words;
      good += *word;
    }
  }
  return words > 0 ? static_cast<float>(good) / static_cast<float>(words) : 0.f;
}

ReadMethod choose_read_method(const TextLayer& layer, PageSize size, bool force_ocr) {
  if (force_ocr) return ReadMethod::kOcr;
  const int mapped = layer.chars - layer.unmapped_chars;
  if (mapped < 20) return ReadMethod::kOcr;
  if (layer.unmapped_chars > 0.15f * static_cast<float>(layer.chars)) return ReadMethod::kOcr;
  float image_area = 0;
  for (const auto& img : layer.images) {
    image_area = std::max(image_area, img.intersected({0, 0, size.width, size.height}).area());
  }
  const bool scanned = image_area >= 0.6f * size.width * size.height;
  if (word_likeness(layer) < (scanned ? 0.8f : 0.5f)) return ReadMethod::kOcr;
  return ReadMethod::kTextLayer;
}

}  // namespace docmill
