#include "layout/estimated_lines.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>
#include <string_view>

#include "core/utf8.h"

namespace docmill {
namespace {

// A printed character is about half as wide as its line is tall.
constexpr float kCharWidthPerLineHeight = 0.5f;

// The words of a block's text: HTML tags (tables the model wrote as HTML) and tokens that are
// only markdown markup (table pipes and rules, list bullets, emphasis) are left out.
std::vector<std::string> words_of(std::string_view text) {
  std::string plain;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    // A tag opens with '<' and a letter or '/': "x < y" is text.
    const bool tag = c == '<' && i + 1 < text.size() &&
                     (std::isalpha(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '/');
    if (tag) {
      const size_t close = text.find('>', i);
      if (close != std::string_view::npos) {
        plain += ' ';
        i = close;
        continue;
      }
    }
    plain += c == '|' ? ' ' : c;
  }
  std::vector<std::string> words;
  size_t start = 0;
  while (start < plain.size()) {
    const size_t end = plain.find_first_of(" \t\n\r", start);
    const std::string_view token = std::string_view(plain).substr(
        start, (end == std::string::npos ? plain.size() : end) - start);
    // Emphasis marks around a word are markup too.
    const size_t first = token.find_first_not_of("*_`");
    const size_t last = token.find_last_not_of("*_`");
    if (token.find_first_not_of("-*#:_=>`") != std::string_view::npos &&
        first != std::string_view::npos) {
      words.emplace_back(token.substr(first, last - first + 1));
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return words;
}

size_t length_of(const std::string& word) {
  return code_points(word).size();
}

void add_block(const Block& block, std::vector<OcrLine>& out) {
  const Box& box = block.box;
  if (box.empty()) return;
  const auto words = words_of(block.text);
  if (words.empty()) return;
  size_t chars = words.size() - 1;  // the spaces
  for (const auto& w : words) chars += length_of(w);
  // k lines of chars/k characters: width/(chars/k) = ratio * height/k, so k^2 = ratio * height *
  // chars / width.
  const double lines =
      std::sqrt(kCharWidthPerLineHeight * box.height() * static_cast<double>(chars) / box.width());
  const size_t wanted =
      std::clamp<size_t>(static_cast<size_t>(std::lround(lines)), 1, words.size());
  const double per_line = static_cast<double>(chars) / static_cast<double>(wanted);

  // Greedy wrap at `per_line` characters; a word never starts a line of its own past that.
  std::vector<std::vector<const std::string*>> rows(1);
  std::vector<size_t> row_chars(1, 0);
  for (const auto& w : words) {
    const size_t len = length_of(w);
    if (!rows.back().empty() && row_chars.back() + 1 + len > per_line + 0.5) {
      rows.emplace_back();
      row_chars.push_back(0);
    }
    row_chars.back() += (rows.back().empty() ? 0 : 1) + len;
    rows.back().push_back(&w);
  }
  // One character width for the whole block, from its longest line: a short last line keeps
  // the width of the others' characters.
  const float char_width = box.width() / static_cast<float>(*std::ranges::max_element(row_chars));
  const float line_height = box.height() / static_cast<float>(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    const float y0 = box.y0 + line_height * static_cast<float>(r);
    OcrLine line{
        {box.x0, y0, box.x0 + char_width * static_cast<float>(row_chars[r]), y0 + line_height}, {}};
    float x = box.x0;
    for (const std::string* w : rows[r]) {
      const float width = char_width * static_cast<float>(length_of(*w));
      line.words.push_back({{x, y0, x + width, y0 + line_height}, *w});
      x += width + char_width;
    }
    out.push_back(std::move(line));
  }
}

}  // namespace

std::vector<OcrLine> estimated_lines(const std::vector<Block>& blocks) {
  std::vector<OcrLine> out;
  for (const auto& b : blocks) {
    if (b.label == Label::kImage || b.label == Label::kEquation) continue;
    add_block(b, out);
  }
  return out;
}

}  // namespace docmill
