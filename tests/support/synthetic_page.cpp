#include "support/synthetic_page.h"

#include <iterator>

#include <fmt/format.h>

#include "support/pdf_factory.h"

namespace docmill::testing {

TextLine line_at(float x, float y, std::string_view text, float size, bool bold) {
  TextLine l;
  l.text = std::string(text);
  l.size = size;
  l.bold = bold;
  const float glyph = size * 0.5f;
  // MuPDF's line boxes run from the font's ascender to its descender: about 1.2 em.
  const float height = size * 1.2f;
  float cursor = x;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) {
      const float w = glyph * static_cast<float>(end - start);
      l.words.emplace_back(text.substr(start, end - start));
      l.word_boxes.push_back({cursor, y, cursor + w, y + height});
      cursor += w;
    }
    cursor += glyph;  // the space
    start = end + 1;
  }
  l.box = {x, y, x + glyph * static_cast<float>(text.size()), y + height};
  return l;
}

std::vector<TextLine> column_at(float x, float y, const std::vector<std::string_view>& lines,
                                float size, float leading) {
  std::vector<TextLine> out;
  for (auto t : lines) {
    if (!t.empty()) out.push_back(line_at(x, y, t, size));
    y += leading;
  }
  return out;
}

void append(std::vector<TextLine>& to, std::vector<TextLine> more) {
  to.insert(to.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
}

PageContent page_of(std::vector<TextLine> lines, std::vector<Box> figures) {
  PageContent p;
  p.width = kA4Width;
  p.height = kA4Height;
  p.lines = std::move(lines);
  p.figures = std::move(figures);
  return p;
}

std::string describe(const std::vector<Block>& blocks) {
  std::string out;
  for (size_t i = 0; i < blocks.size(); ++i) {
    out += fmt::format("  [{}] {} h{} img{}: {}\n", i, to_string(blocks[i].label),
                       blocks[i].heading_level, blocks[i].image_index, blocks[i].text);
  }
  return out;
}

int find_block(const std::vector<Block>& blocks, std::string_view needle) {
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (blocks[i].text.find(needle) != std::string::npos) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace docmill::testing
