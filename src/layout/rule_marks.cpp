#include "layout/rule_marks.h"

#include <algorithm>
#include <string_view>

namespace docmill {
namespace {

// Strokes OCR makes of a thin vertical line.
bool is_stroke_text(std::string_view t) {
  return !t.empty() && std::ranges::all_of(
                           t, [](char c) { return std::string_view("|[]{}!Il1/\\").contains(c); });
}

// A rule runs through the word: its middle lies inside the word's width, along the word's
// middle height, and it reaches well past the word above or below. A large "I" or "1" is found
// as a vertical rule itself (its stem), but that stem stays inside the word's box.
bool on_rule(const Box& word, std::span<const Box> vertical) {
  const float reach = 0.25f * word.height();
  return std::ranges::any_of(vertical, [&](const Box& v) {
    return v.cx() >= word.x0 && v.cx() <= word.x1 && v.y0 <= word.cy() && v.y1 >= word.cy() &&
           (v.y0 < word.y0 - reach || v.y1 > word.y1 + reach);
  });
}

}  // namespace

std::vector<TextLine> drop_rule_marks(std::vector<TextLine> lines, std::span<const Box> vertical) {
  if (vertical.empty()) return lines;
  std::vector<TextLine> out;
  out.reserve(lines.size());
  for (auto& l : lines) {
    if (l.words.size() != l.word_boxes.size()) {
      out.push_back(std::move(l));
      continue;
    }
    TextLine kept = l;
    kept.words.clear();
    kept.word_boxes.clear();
    kept.text.clear();
    for (size_t w = 0; w < l.words.size(); ++w) {
      if (is_stroke_text(l.words[w]) && on_rule(l.word_boxes[w], vertical)) continue;
      if (!kept.text.empty()) kept.text += ' ';
      kept.text += l.words[w];
      kept.words.push_back(std::move(l.words[w]));
      kept.word_boxes.push_back(l.word_boxes[w]);
    }
    if (kept.words.empty()) continue;
    if (kept.words.size() != l.words.size()) {
      kept.box = kept.word_boxes.front();
      for (const auto& b : kept.word_boxes) kept.box = kept.box.united(b);
    }
    out.push_back(std::move(kept));
  }
  return out;
}

}  // namespace docmill
