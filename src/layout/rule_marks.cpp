#include "layout/rule_marks.h"

#include <algorithm>
#include <string>
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
    std::vector<std::string> words = std::move(l.words);
    std::vector<Box> boxes = std::move(l.word_boxes);
    l.words.clear();
    l.word_boxes.clear();
    for (size_t w = 0; w < words.size(); ++w) {
      if (is_stroke_text(words[w]) && on_rule(boxes[w], vertical)) continue;
      l.words.push_back(std::move(words[w]));
      l.word_boxes.push_back(boxes[w]);
    }
    if (l.words.empty()) continue;
    if (l.words.size() != words.size()) {
      l.text.clear();
      for (const auto& w : l.words) l.text += (l.text.empty() ? "" : " ") + w;
      l.box = l.word_boxes.front();
      for (const auto& b : l.word_boxes) l.box = l.box.united(b);
    }
    out.push_back(std::move(l));
  }
  return out;
}

}  // namespace docmill
