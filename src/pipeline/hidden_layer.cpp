#include "pipeline/hidden_layer.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include <fmt/format.h>

namespace docmill {
namespace {

constexpr float kMinQuality = 0.75f;

bool is_vowel(char c) {
  const char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return l == 'a' || l == 'e' || l == 'i' || l == 'o' || l == 'u' || l == 'y';
}

// nullopt for a token that is only punctuation: it says nothing either way.
std::optional<bool> reads_like_word(std::string_view w) {
  const auto is_punct = [](char c) { return std::ispunct(static_cast<unsigned char>(c)) != 0; };
  while (!w.empty() && is_punct(w.front())) w.remove_prefix(1);
  while (!w.empty() && is_punct(w.back())) w.remove_suffix(1);
  if (w.empty()) return std::nullopt;
  int letters = 0, digits = 0, upper = 0, vowels = 0, consonant_run = 0, longest_run = 0;
  bool upper_after_first = false;
  for (size_t i = 0; i < w.size(); ++i) {
    const auto c = static_cast<unsigned char>(w[i]);
    if (c >= 0x80) return true;  // other scripts: trust the layer
    if (std::isalpha(c)) {
      ++letters;
      if (std::isupper(c)) {
        ++upper;
        if (i > 0) upper_after_first = true;
      }
      if (is_vowel(static_cast<char>(c))) {
        ++vowels;
        consonant_run = 0;
      } else {
        longest_run = std::max(longest_run, ++consonant_run);
      }
    } else if (std::isdigit(c)) {
      ++digits;
    } else if (c != '\'' && c != '-' && c != '.' && c != ',') {
      return false;  // symbols inside a word
    }
  }
  if (letters == 0) return digits > 0;
  if (digits > 0) return false;  // "l0ve", "5ome": misread letters
  const bool case_ok = !upper_after_first || upper == letters;
  if (letters == 1) return case_ok && (w == "a" || w == "A" || w == "I");
  return case_ok && (vowels > 0 || letters <= 3) && longest_run <= 5;
}

float median(std::vector<float> v) {
  if (v.empty()) return 0;
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

struct Word {
  Box box;
  const std::string* text;
};

TextLine make_line(std::vector<Word>::const_iterator first,
                   std::vector<Word>::const_iterator last) {
  TextLine line;
  std::vector<float> heights;
  for (auto it = first; it != last; ++it) {
    line.box = line.words.empty() ? it->box : line.box.united(it->box);
    line.words.push_back(*it->text);
    line.word_boxes.push_back(it->box);
    heights.push_back(it->box.height());
    if (!line.text.empty()) line.text += ' ';
    line.text += *it->text;
  }
  line.size = median(std::move(heights));
  return line;
}

}  // namespace

float hidden_layer_quality(const std::vector<TextLine>& lines) {
  int words = 0, good = 0;
  for (const auto& line : lines) {
    for (const auto& w : line.words) {
      const auto word = reads_like_word(w);
      if (!word) continue;
      ++words;
      good += *word;
    }
  }
  return words > 0 ? static_cast<float>(good) / static_cast<float>(words) : 0.f;
}

HiddenLayerReport judge_hidden_layer(OcrExisting mode, const std::vector<TextLine>& lines) {
  HiddenLayerReport r;
  r.quality = hidden_layer_quality(lines);
  switch (mode) {
    case OcrExisting::kKeep:
      r.kept = true;
      r.reason = "ocr_existing is keep";
      break;
    case OcrExisting::kRedo:
      r.kept = false;
      r.reason = "ocr_existing is redo";
      break;
    case OcrExisting::kAuto:
      r.kept = r.quality >= kMinQuality;
      r.reason = fmt::format("{:.0f}% of its words read like words ({} {:.0f}%)", r.quality * 100,
                             r.kept ? "at least" : "under", kMinQuality * 100);
      break;
  }
  return r;
}

std::vector<TextLine> lines_from_positions(const std::vector<TextLine>& lines) {
  std::vector<Word> words;
  for (const auto& line : lines) {
    for (size_t i = 0; i < line.words.size() && i < line.word_boxes.size(); ++i) {
      if (!line.word_boxes[i].empty()) words.push_back({line.word_boxes[i], &line.words[i]});
    }
  }
  const auto centre = [](const Box& b) { return (b.y0 + b.y1) / 2; };
  std::ranges::sort(words, {}, [&](const Word& w) { return centre(w.box); });

  std::vector<TextLine> out;
  size_t start = 0;
  while (start < words.size()) {
    // One row: words whose centres stay within half a word height of the row's first centre.
    const float row_centre = centre(words[start].box);
    const float tolerance = words[start].box.height() / 2;
    size_t end = start + 1;
    while (end < words.size() && centre(words[end].box) - row_centre <= tolerance) ++end;
    std::vector<Word> row(words.begin() + static_cast<std::ptrdiff_t>(start),
                          words.begin() + static_cast<std::ptrdiff_t>(end));
    std::ranges::sort(row, {}, [](const Word& w) { return w.box.x0; });
    std::vector<float> heights;
    for (const auto& w : row) heights.push_back(w.box.height());
    const float gutter = 2 * median(std::move(heights));
    auto piece = row.cbegin();
    for (auto it = row.cbegin() + 1; it != row.cend(); ++it) {
      if (it->box.x0 - std::prev(it)->box.x1 > gutter) {
        out.push_back(make_line(piece, it));
        piece = it;
      }
    }
    out.push_back(make_line(piece, row.cend()));
    start = end;
  }
  return out;
}

ReadMethod read_hidden_layer(TextLayer& layer, PageSize size, OcrExisting mode, PageResult& page) {
  HiddenLayerReport report = judge_hidden_layer(mode, layer.lines);
  const int mapped = layer.chars - layer.unmapped_chars;
  if (report.kept && (mapped < 20 || layer.unmapped_chars * 20 > layer.chars * 3)) {
    report.kept = false;
    report.reason = "its glyphs have no Unicode mapping";
  }
  const bool kept = report.kept;
  page.hidden_layer = std::move(report);
  if (!kept) return ReadMethod::kOcr;
  layer.lines = lines_from_positions(layer.lines);
  const float half_page = 0.5f * size.width * size.height;
  std::erase_if(layer.images, [&](const Box& b) {
    return b.intersected({0, 0, size.width, size.height}).area() >= half_page;
  });
  return ReadMethod::kTextLayer;
}

}  // namespace docmill
