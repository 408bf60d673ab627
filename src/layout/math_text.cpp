#include "layout/math_text.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "layout/equation_detector.h"

namespace docmill {
namespace {

// The word boxes' median height: the size of the formula's main line.
float main_height(const TextLine& l) {
  std::vector<float> h;
  for (const auto& b : l.word_boxes) h.push_back(b.height());
  if (h.empty()) return l.box.height();
  std::ranges::nth_element(h, h.begin() + static_cast<long>(h.size() / 2));
  return h[h.size() / 2];
}

// One line of the formula as TeX, with words set smaller and off the main line's centre as
// sub- or superscripts of the word before them.
std::string line_tex(const TextLine& l) {
  if (l.word_boxes.size() != l.words.size()) return tex_escaped(l.text);
  const float h = main_height(l);
  float centre = 0;
  int n = 0;
  for (const auto& b : l.word_boxes) {
    if (b.height() >= 0.8f * h) {
      centre += b.cy();
      ++n;
    }
  }
  centre = n > 0 ? centre / static_cast<float>(n) : l.box.cy();
  std::string out;
  for (size_t i = 0; i < l.words.size(); ++i) {
    const Box& b = l.word_boxes[i];
    const std::string word = tex_escaped(l.words[i]);
    // Scripts are letters and digits; an operator's glyph box is just often smaller.
    const auto first = static_cast<unsigned char>(l.words[i].front());
    const bool script_like = std::isalnum(first) != 0 || first == 0xCE || first == 0xCF;
    const bool small = i > 0 && script_like && b.height() < 0.8f * h;
    if (small && b.cy() > centre + 0.15f * h) {
      out += "_{" + word + "}";
    } else if (small && b.cy() < centre - 0.15f * h) {
      out += "^{" + word + "}";
    } else {
      if (!out.empty()) out += ' ';
      out += word;
    }
  }
  return out;
}

}  // namespace

std::string tex_escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (const char c : text) {
    if (std::string_view("#$%&_{}").find(c) != std::string_view::npos) {
      out += '\\';
      out += c;
    } else if (c == '\\') {
      out += "\\backslash ";
    } else {
      out += c;
    }
  }
  return out;
}

std::string equation_tex(std::span<const TextLine> lines, const std::vector<int>& idx) {
  std::vector<const TextLine*> pieces;
  std::string tag;
  for (int i : idx) {
    const TextLine& l = lines[static_cast<size_t>(i)];
    if (is_equation_number(l.text)) {
      // Rows numbered one by one (an eqnarray) share one tag.
      tag += (tag.empty() ? "" : ", ") + l.text.substr(1, l.text.size() - 2);
    } else {
      pieces.push_back(&l);
    }
  }
  // The pieces in the order given (the page's reading flow), as the text layer reads them.
  std::string out;
  for (const TextLine* p : pieces) {
    if (!out.empty()) out += ' ';
    out += line_tex(*p);
  }
  if (!tag.empty()) out += " \\tag{" + tag + "}";
  return out;
}

}  // namespace docmill
