#include "layout/paragraph_join.h"

#include <array>
#include <string_view>

#include "layout/text_join.h"

namespace docmill {
namespace {

// Blocks a paragraph flows around: floats and their captions, and the page's furniture.
bool flows_around(Label l) {
  switch (l) {
    case Label::kImage:
    case Label::kImageCaption:
    case Label::kTable:
    case Label::kTableCaption:
    case Label::kTableFootnote:
    case Label::kHeader:
    case Label::kFooter:
    case Label::kPageNumber:
      return true;
    default:
      return false;
  }
}

// Most blocks a paragraph is looked for across: a float with its caption and a footnote.
constexpr int kMaxBetween = 4;

}  // namespace

bool ends_paragraph(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.remove_suffix(1);
  if (text.empty()) return true;
  static constexpr std::array<std::string_view, 11> kEnds = {".", ":",  ";", "!", "?", ")",
                                                             "]", "\"", "”", "’", "'"};
  for (auto e : kEnds) {
    if (text.ends_with(e)) return true;
  }
  return false;
}

void join_cut_paragraphs(std::vector<Block>& blocks) {
  size_t i = 0;
  while (i < blocks.size()) {
    Block& first = blocks[i];
    size_t j = i + 1;
    while (j < blocks.size() && j - i <= kMaxBetween && flows_around(blocks[j].label)) ++j;
    const bool cut = (first.label == Label::kText || first.label == Label::kList) &&
                     !ends_paragraph(first.text) && j < blocks.size() && j - i <= kMaxBetween &&
                     blocks[j].label == Label::kText && starts_lower(blocks[j].text);
    if (!cut) {
      ++i;
      continue;
    }
    // A list's last item takes the lines as its own: they are its wrapped continuation. The
    // joined block is looked at again: the paragraph may go on further still.
    const Block next = std::move(blocks[j]);
    blocks.erase(blocks.begin() + static_cast<long>(j));
    append_line(first.text, next.text);
    first.more_boxes.push_back(next.box);
    first.more_boxes.insert(first.more_boxes.end(), next.more_boxes.begin(), next.more_boxes.end());
  }
}

}  // namespace docmill
