#include "layout/page_furniture.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>

#include "layout/text_patterns.h"

namespace docmill {
namespace {

bool is_furniture(Label l) {
  return l == Label::kHeader || l == Label::kFooter || l == Label::kPageNumber;
}

// Digits only, in groups of at most four: "12", "279", "20 15 10 5" (a ruler in the margin).
bool is_number_run(std::string_view t) {
  bool digit = false;
  size_t run = 0;
  for (char c : t) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digit = true;
      if (++run > 4) return false;
    } else if (c == ' ') {
      run = 0;
    } else {
      return false;
    }
  }
  return digit;
}

// Digits and spaces only, in the margin: a ruler OCR reads as one number ("123456789") too.
bool is_margin_number(std::string_view t) {
  return t.size() <= 40 && std::ranges::any_of(t, [](char c) { return c != ' '; }) &&
         std::ranges::all_of(
             t, [](char c) { return c == ' ' || std::isdigit(static_cast<unsigned char>(c)); });
}

// Where the body text runs across the page: most long lines start at or right of `left` and end
// at or left of `right` (10th and 90th percentiles, so a wide table does not widen it).
struct BodyExtent {
  float left = 0, right = 0;
  bool known = false;
};

BodyExtent body_extent(std::span<const TextLine> lines) {
  std::vector<float> x0s, x1s;
  for (const auto& l : lines) {
    if (l.text.size() < 25 || l.box.height() > 3 * l.box.width()) continue;
    x0s.push_back(l.box.x0);
    x1s.push_back(l.box.x1);
  }
  if (x0s.size() < 3) return {};
  const size_t lo = x0s.size() / 10, hi = x1s.size() - 1 - x1s.size() / 10;
  std::ranges::nth_element(x0s, x0s.begin() + static_cast<std::ptrdiff_t>(lo));
  std::ranges::nth_element(x1s, x1s.begin() + static_cast<std::ptrdiff_t>(hi));
  return {x0s[lo], x1s[hi], true};
}

// Set sideways: a line much taller than wide ("arXiv:2101.00001v1 [cs.CL] 1 Jan 2021" up the
// left margin).
bool is_vertical(const TextLine& l) {
  return l.box.height() > 3 * l.box.width() && l.text.size() >= 4;
}

// Line numbers of a draft, rulers and stamps: numbers or sideways text wholly outside the body
// text's column, in a side margin.
void label_margin_furniture(const FurniturePage& page, std::vector<Block>& blocks) {
  const BodyExtent body = body_extent(page.lines);
  if (!body.known) return;
  for (size_t i = 0; i < blocks.size(); ++i) {
    Block& b = blocks[i];
    const auto& idx = page.block_lines[i];
    if (idx.empty() || b.label == Label::kTable || is_furniture(b.label)) continue;
    const bool in_margin = b.box.x1 < body.left || b.box.x0 > body.right;
    if (!in_margin) continue;
    if (is_margin_number(b.text)) {
      b.label = Label::kPageNumber;
      b.heading_level = 0;
    } else if (std::ranges::all_of(idx, [&](int l) { return is_vertical(page.lines[l]); })) {
      b.label = Label::kHeader;
      b.heading_level = 0;
    }
  }
}

struct Word {
  Box box;
  std::string_view text;
};

bool is_number_block(const Block& b) {
  return is_page_number(b.text) || is_number_run(b.text);
}

// A row of blocks on one level at the top or bottom edge: a running header or footer split in
// pieces ("EngageCSEdu." on the left, the authors on the right), or a single block.
struct Row {
  std::vector<size_t> blocks;
  Box box;
};

class RowJudge {
 public:
  RowJudge(const FurniturePage& page, const std::vector<Block>& blocks, bool top)
      : page_(page), blocks_(blocks), top_(top) {}

  // The label the row's blocks take, or nullopt when the row is content.
  std::optional<Label> judge(const Row& row, float gap) const {
    // Numbers alone (a page number, the ruler of a printer's test page), however they are set.
    if (std::ranges::all_of(row.blocks, [&](size_t i) {
          return !page_.block_lines[i].empty() && is_number_block(blocks_[i]);
        })) {
      return Label::kPageNumber;
    }
    std::string text;
    bool all_numbers = true, has_heading = false;
    float size = 0, line_height = 0;
    std::vector<Word> words;
    for (size_t i : row.blocks) {
      const Block& b = blocks_[i];
      const auto& idx = page_.block_lines[i];
      if (idx.empty()) return std::nullopt;  // a figure
      const bool number = is_number_block(b);
      all_numbers = all_numbers && number;
      // A heading may be a running line that OCR took for "44 Author Name": only a page number
      // set well apart from it says so.
      const bool heading = b.label == Label::kTitle || b.label == Label::kSubTitle;
      if (b.label != Label::kText && !heading && !number) return std::nullopt;
      has_heading = has_heading || heading;
      if (!single_line(idx)) return std::nullopt;
      for (int l : idx) {
        const TextLine& line = page_.lines[l];
        size = std::max(size, line.size);
        line_height = std::max(line_height, line.box.height());
        if (!line.words.empty() && line.words.size() == line.word_boxes.size()) {
          for (size_t w = 0; w < line.words.size(); ++w) {
            words.push_back({line.word_boxes[w], line.words[w]});
          }
        } else {
          words.push_back({line.box, line.text});
        }
      }
      if (!text.empty()) text += ' ';
      text += b.text;
    }
    if (all_numbers || is_page_number(text)) return Label::kPageNumber;
    if (text.size() > 160 || size > page_.body_size * 1.05f) return std::nullopt;
    if (gap < 0.5f * line_height) return std::nullopt;
    std::ranges::sort(words, {}, [](const Word& w) { return w.box.x0; });
    const float small = page_.from_ocr ? 0.85f : 0.95f;
    const bool smaller_than_body = size < small * page_.body_size;
    if (number_set_apart(words, size) ||
        (!has_heading && ((top_ && smaller_than_body) ||
                          (smaller_than_body && spans_both_edges(row, words, size))))) {
      return top_ ? Label::kHeader : Label::kFooter;
    }
    return std::nullopt;
  }

 private:
  bool single_line(const std::vector<int>& idx) const {
    const Box& first = page_.lines[idx.front()].box;
    return std::ranges::all_of(idx, [&](int l) {
      const Box& b = page_.lines[l].box;
      const float overlap = std::min(first.y1, b.y1) - std::max(first.y0, b.y0);
      return overlap > 0.5f * std::min(first.height(), b.height());
    });
  }

  // "8    Schwarz et al.", "Chapter 2: Structures    3": a page number at either end of the
  // row, well apart from the words beside it (a heading's "2 Methods" has a plain space).
  static bool number_set_apart(const std::vector<Word>& words, float size) {
    if (words.size() < 2) return false;
    const float wide = 1.5f * size;
    const Word& first = words.front();
    const Word& last = words.back();
    return (is_page_number(first.text) && words[1].box.x0 - first.box.x1 >= wide) ||
           (is_page_number(last.text) && last.box.x0 - words[words.size() - 2].box.x1 >= wide);
  }

  // "Preprint submitted to Elsevier ... June 8, 2018": pieces at both edges of the text column,
  // far apart.
  bool spans_both_edges(const Row& row, const std::vector<Word>& words, float size) const {
    float widest = 0;
    for (size_t i = 1; i < words.size(); ++i) {
      widest = std::max(widest, words[i].box.x0 - words[i - 1].box.x1);
    }
    if (widest < 3 * size) return false;
    const float near = 0.05f * page_.width;
    float left = page_.width, right = 0;
    for (const auto& l : page_.lines) {
      if (l.text.size() < 25) continue;
      left = std::min(left, l.box.x0);
      right = std::max(right, l.box.x1);
    }
    return row.box.x0 <= left + near && row.box.x1 >= right - near;
  }

  const FurniturePage& page_;
  const std::vector<Block>& blocks_;
  bool top_;
};

// A row that is content may still end in a page number: one further out than all of the row's
// other blocks (below an equation that reaches down into the bottom band).
void label_outer_numbers(const Row& row, std::vector<Block>& blocks, bool top) {
  const auto outward = [&](size_t i) { return top ? -blocks[i].box.cy() : blocks[i].box.cy(); };
  for (size_t i : row.blocks) {
    if (blocks[i].text.empty() || !is_number_block(blocks[i])) continue;
    const bool outermost = std::ranges::all_of(row.blocks, [&](size_t j) {
      return j == i || is_number_block(blocks[j]) ||
             outward(j) < outward(i) - 0.5f * blocks[i].box.height();
    });
    if (outermost) {
      blocks[i].label = Label::kPageNumber;
      blocks[i].heading_level = 0;
    }
  }
}

// Rows from the top (or bottom) edge inward, labelled while they are furniture; the first row of
// content ends the walk. At most two rows: a header line and a rule of dates, say.
void label_edge_rows(const FurniturePage& page, std::vector<Block>& blocks, bool top) {
  std::vector<size_t> open;
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (!is_furniture(blocks[i].label)) open.push_back(i);
  }
  const auto outer = [&](size_t i) { return top ? blocks[i].box.y0 : -blocks[i].box.y1; };
  std::ranges::sort(open, {}, outer);
  const RowJudge judge(page, blocks, top);
  for (int rows = 0; rows < 2 && !open.empty(); ++rows) {
    Row row;
    const Box& edge = blocks[open.front()].box;
    std::vector<size_t> rest;
    for (size_t i : open) {
      const Box& b = blocks[i].box;
      const float overlap = std::min(edge.y1, b.y1) - std::max(edge.y0, b.y0);
      if (overlap > 0.5f * std::min(edge.height(), b.height())) {
        row.blocks.push_back(i);
        row.box = row.box.united(b);
      } else {
        rest.push_back(i);
      }
    }
    const bool in_band = top ? row.box.y1 <= kFurnitureBand * page.height
                             : row.box.y0 >= (1 - kFurnitureBand) * page.height;
    if (!in_band) return;
    float gap = page.height;
    for (size_t i : rest) {
      const Box& b = blocks[i].box;
      gap = std::min(gap, top ? b.y0 - row.box.y1 : row.box.y0 - b.y1);
    }
    const auto label = judge.judge(row, gap);
    if (!label) {
      label_outer_numbers(row, blocks, top);
      return;
    }
    for (size_t i : row.blocks) {
      blocks[i].label = is_page_number(blocks[i].text) ? Label::kPageNumber : *label;
      blocks[i].heading_level = 0;
    }
    open = std::move(rest);
  }
}

}  // namespace

void label_page_furniture(const FurniturePage& page, std::vector<Block>& blocks) {
  label_margin_furniture(page, blocks);
  label_edge_rows(page, blocks, true);
  label_edge_rows(page, blocks, false);
}

}  // namespace docmill
