#include "vlm/text_layer_merge.h"

#include <cctype>
#include <string_view>

#include "layout/text_join.h"

namespace docmill {
namespace {

// Model boxes are drawn loosely around the text; a word whose centre falls this close outside
// still belongs to the block.
constexpr float kSlackPt = 3.f;
// The layer's words cover a block when they hold between these shares of the model's letters
// and digits: fewer means the layer lacks part of the block (a formula drawn as curves, text in
// an image), more means the box took in a neighbour's words.
constexpr double kMinCover = 0.7;
constexpr double kMaxCover = 1.5;

size_t letters_and_digits(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += std::isalnum(c) != 0 || c >= 0x80;
  return n;
}

// Characters of the model's markdown that the layer would not have: inline math markup,
// emphasis, list marks.
std::string plain(std::string_view markdown) {
  std::string out;
  for (size_t i = 0; i < markdown.size(); ++i) {
    const char c = markdown[i];
    if (c == '\\' && i + 1 < markdown.size() &&
        std::isalpha(static_cast<unsigned char>(markdown[i + 1]))) {
      // A TeX command: \alpha, \frac ... counts as one symbol at most.
      while (i + 1 < markdown.size() && std::isalpha(static_cast<unsigned char>(markdown[i + 1])))
        ++i;
      out += 'x';
      continue;
    }
    out += c;
  }
  return out;
}

bool inside_any(const Box& word, const Block& b) {
  const float cx = word.cx(), cy = word.cy();
  const auto in = [&](const Box& box) {
    return cx >= box.x0 - kSlackPt && cx <= box.x1 + kSlackPt && cy >= box.y0 - kSlackPt &&
           cy <= box.y1 + kSlackPt;
  };
  if (in(b.box)) return true;
  for (const auto& more : b.more_boxes) {
    if (in(more)) return true;
  }
  return false;
}

// A list item's mark at the start of a layer line: a bullet glyph (replaced by "- ") or a
// number or letter ("1.", "a)", "(iv)"), kept as it is.
bool starts_item(std::string_view line, std::string& item) {
  static constexpr std::string_view kBullets[] = {"•", "◦", "▪", "‣", "·", "–", "-", "*", "○", "■"};
  for (auto b : kBullets) {
    if (line.starts_with(b) && line.size() > b.size() && line[b.size()] == ' ') {
      item = "- " + std::string(line.substr(b.size() + 1));
      return true;
    }
  }
  size_t i = line.starts_with('(') ? 1 : 0;
  const size_t start = i;
  while (i < line.size() && i - start < 4 && std::isalnum(static_cast<unsigned char>(line[i]))) ++i;
  if (i == start || i + 1 >= line.size()) return false;
  const char close = line[i];
  if ((close == '.' || close == ')') && line[i + 1] == ' ') {
    item = std::string(line);
    return true;
  }
  return false;
}

std::string list_text(const std::vector<std::string>& lines) {
  std::vector<std::string> items;
  for (const auto& l : lines) {
    std::string item;
    if (starts_item(l, item)) {
      items.push_back(std::move(item));
    } else if (items.empty()) {
      return {};  // no mark where the list starts: the marks are drawn, not text
    } else {
      append_line(items.back(), l);
    }
  }
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += '\n';
    out += item;
  }
  return out;
}

}  // namespace

bool takes_text_layer(Label label) {
  switch (label) {
    case Label::kTitle:
    case Label::kSubTitle:
    case Label::kText:
    case Label::kList:
    case Label::kTableCaption:
    case Label::kTableFootnote:
    case Label::kImageCaption:
    case Label::kHeader:
    case Label::kFooter:
    case Label::kPageNumber:
      return true;
    default:
      return false;
  }
}

int merge_text_layer(std::vector<Block>& blocks, const std::vector<TextLine>& lines) {
  // taken[l][w]: word w of line l already went to a block.
  std::vector<std::vector<bool>> taken(lines.size());
  for (size_t l = 0; l < lines.size(); ++l) {
    taken[l].assign(std::max<size_t>(1, lines[l].words.size()), false);
  }
  int merged = 0;
  for (auto& b : blocks) {
    if (!takes_text_layer(b.label) || b.text.empty()) continue;
    std::vector<std::string> texts;                  // one per layer line that has words here
    std::vector<std::pair<size_t, size_t>> claimed;  // (line, word)
    for (size_t l = 0; l < lines.size(); ++l) {
      const TextLine& line = lines[l];
      std::string text;
      const bool by_word = !line.words.empty() && line.words.size() == line.word_boxes.size();
      const size_t n = by_word ? line.words.size() : 1;
      for (size_t w = 0; w < n; ++w) {
        if (taken[l][w]) continue;
        if (!inside_any(by_word ? line.word_boxes[w] : line.box, b)) continue;
        if (!text.empty()) text += ' ';
        text += by_word ? line.words[w] : line.text;
        claimed.emplace_back(l, w);
      }
      if (!text.empty()) texts.push_back(std::move(text));
    }
    const double model = static_cast<double>(letters_and_digits(plain(b.text)));
    size_t layer = 0;
    for (const auto& t : texts) layer += letters_and_digits(t);
    if (model == 0 || layer < kMinCover * model || layer > kMaxCover * model) continue;
    std::string text = b.label == Label::kList ? list_text(texts) : join_lines(texts);
    if (text.empty()) continue;
    b.text = std::move(text);
    for (auto [l, w] : claimed) taken[l][w] = true;
    ++merged;
  }
  return merged;
}

}  // namespace docmill
