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

// A token that only marks up: a heading's #s, a list bullet or quote mark, a table or
// horizontal rule. A lone "=" is kept (math).
bool is_markup(std::string_view token) {
  if (token.find_first_not_of('#') == std::string_view::npos) return true;
  if (token == "-" || token == "*" || token == "+" || token == ">") return true;
  return token.size() >= 3 && token.find_first_not_of("-*_:=`") == std::string_view::npos;
}

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
    if (!is_markup(token) && first != std::string_view::npos) {
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

// The characters of `words` set on one line, the spaces between them included.
size_t chars_of(const std::vector<std::string>& words) {
  size_t chars = words.empty() ? 0 : words.size() - 1;
  for (const auto& w : words) chars += length_of(w);
  return chars;
}

// `words` (not empty) wrapped inside `box`.
void add_block(const std::vector<std::string>& words, const Box& box, std::vector<OcrLine>& out) {
  if (box.empty()) return;
  const size_t chars = chars_of(words);
  // k lines of chars/k characters: width/(chars/k) = ratio * height/k, so k^2 = ratio * height *
  // chars / width.
  const double lines =
      std::sqrt(kCharWidthPerLineHeight * box.height() * static_cast<double>(chars) / box.width());
  const size_t wanted =
      std::clamp<size_t>(static_cast<size_t>(std::lround(lines)), 1, words.size());
  const double per_line = static_cast<double>(chars) / static_cast<double>(wanted);

  // Each word goes to the line its middle falls on when the text runs on at `per_line`
  // characters a line: exactly `wanted` lines (a greedy wrap would spill into one more), none
  // left empty.
  std::vector<std::vector<const std::string*>> rows;
  std::vector<size_t> row_chars;
  size_t offset = 0;  // characters before the word, spaces included
  size_t last_row = 0;
  for (const auto& w : words) {
    const size_t len = length_of(w);
    const double middle = static_cast<double>(offset) + static_cast<double>(len) / 2.0;
    const size_t row = std::min(wanted - 1, static_cast<size_t>(middle / per_line));
    if (rows.empty() || row != last_row) {
      rows.emplace_back();
      row_chars.push_back(0);
      last_row = row;
    }
    row_chars.back() += (rows.back().empty() ? 0 : 1) + len;
    rows.back().push_back(&w);
    offset += len + 1;
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
  struct Text {
    Box box;
    std::vector<std::string> words;
  };
  std::vector<Text> texts;
  for (const auto& b : blocks) {
    if (b.label == Label::kImage || b.label == Label::kEquation) continue;
    auto words = words_of(b.text);
    if (!words.empty()) texts.push_back({b.box, std::move(words)});
  }
  std::vector<OcrLine> out;
  // Blocks that came with one box between them (a model answering without boxes gives every
  // block the whole page) share it top to bottom, each a height in proportion to its text.
  for (size_t i = 0; i < texts.size();) {
    size_t end = i + 1;
    size_t total = chars_of(texts[i].words);
    while (end < texts.size() && texts[end].box == texts[i].box)
      total += chars_of(texts[end++].words);
    const Box shared = texts[i].box;
    float y = shared.y0;
    for (size_t k = i; k < end; ++k) {
      const float share = static_cast<float>(chars_of(texts[k].words)) / static_cast<float>(total);
      const float y1 = k + 1 == end ? shared.y1 : y + shared.height() * share;
      add_block(texts[k].words, {shared.x0, y, shared.x1, y1}, out);
      y = y1;
    }
    i = end;
  }
  return out;
}

}  // namespace docmill
