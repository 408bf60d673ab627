#include "layout/layout_analyzer.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "layout/reading_order.h"
#include "layout/table_detector.h"
#include "layout/table_region.h"
#include "layout/text_join.h"
#include "layout/text_patterns.h"

namespace docmill {
namespace {

enum class LineKind { kBody, kHeading, kListStart, kCaption };

// The font size most of the page's characters have: what "body text" means on this page.
float body_size_of(const std::vector<TextLine>& lines) {
  std::map<int, size_t> weight;
  for (const auto& l : lines) weight[static_cast<int>(std::lround(l.size * 2))] += l.text.size();
  int best = 0;
  size_t best_w = 0;
  for (const auto& [size, w] : weight) {
    if (w > best_w) {
      best_w = w;
      best = size;
    }
  }
  return best > 0 ? best / 2.f : 10.f;
}

int section_depth(std::string_view text) {
  if (!is_numbered_heading(text)) return 0;
  const auto space = text.find(' ');
  const auto number = text.substr(0, space);
  int dots = 0;
  for (size_t i = 0; i + 1 < number.size(); ++i) dots += number[i] == '.';
  return 1 + dots;
}

bool is_all_caps(std::string_view t) {
  int upper = 0;
  for (char c : t) {
    if (c >= 'a' && c <= 'z') return false;
    upper += c >= 'A' && c <= 'Z';
  }
  return upper >= 3;
}

bool ends_sentence(std::string_view t) {
  return !t.empty() && (t.back() == '.' || t.back() == ',' || t.back() == ';');
}

LineKind kind_of(const TextLine& l, float body, bool from_ocr) {
  const std::string_view t = l.text;
  if (is_figure_caption_start(t) || is_table_caption_start(t)) return LineKind::kCaption;
  const float ratio = l.size / body;
  const size_t words = static_cast<size_t>(std::ranges::count(t, ' ')) + 1;
  const bool short_line = t.size() <= 120 && words <= 16;
  if (short_line && !ends_sentence(t)) {
    if (ratio >= (from_ocr ? 1.3f : 1.12f) && t.size() >= 2) return LineKind::kHeading;
    if (!from_ocr && l.bold && words <= 12 && t.size() >= 3) return LineKind::kHeading;
    // A numbered short line set apart by style: bold, italic, larger, or in capitals
    // ("1. INTRODUCTION" in AASTeX, "3.5. Enhanced graphics" in italics).
    if (is_numbered_heading(t) && words <= 10 &&
        (l.bold || l.italic || from_ocr || ratio >= 1.05f || is_all_caps(t))) {
      return LineKind::kHeading;
    }
  }
  if (is_list_item_start(t)) return LineKind::kListStart;
  return LineKind::kBody;
}

struct Draft {
  std::vector<int> lines;  // indices into page.lines
  int figure = -1;         // index into the kept figures, for image blocks
  int table = -1;          // index into the page's ruled tables, for its one block
  int region = -1;
  LineKind kind = LineKind::kBody;
  Box box;
};

bool keep_figure(const Box& f, const PageContent& page) {
  const float page_area = page.width * page.height;
  // Tiny pictures are logos and bullets; a picture under the whole page is a background
  // (or the scan beneath an OCR text layer).
  return f.width() >= 24 && f.height() >= 24 && f.area() >= 0.012f * page_area &&
         f.area() <= 0.85f * page_area;
}

std::string list_markdown(const PageContent& page, const std::vector<int>& idx, bool from_ocr) {
  std::string out, item;
  const auto flush = [&] {
    if (item.empty()) return;
    if (!out.empty()) out += '\n';
    const std::string_view stripped = strip_bullet(item);
    out += stripped.size() != item.size() ? "- " + std::string(stripped) : item;
    item.clear();
  };
  for (int i : idx) {
    const auto& l = page.lines[i];
    if (is_list_item_start(l.text)) flush();
    append_line(item, l.text);
  }
  (void)from_ocr;
  flush();
  return out;
}

bool looks_like_equation(const PageContent& page, const Draft& d) {
  if (d.lines.size() > 2) return false;
  std::string text;
  for (int i : d.lines) append_line(text, page.lines[i].text);
  const float share = math_symbol_share(text);
  const bool has_eq = text.find('=') != std::string::npos;
  return text.size() < 140 && (share >= 0.12f || (has_eq && share >= 0.05f));
}

// Running headers and footers sit apart from the body: the first (last) block of the page,
// a single short line near the edge, no larger than body text, set off by a gap, and usually
// carrying a page number.
bool is_running_line(const Block& b, const Block* neighbour, const TextLine& line, float body,
                     float page_height, bool top) {
  if (b.text.size() > 100 || line.size > body * 1.05f) return false;
  const bool near_edge = top ? b.box.y1 < 0.16f * page_height : b.box.y0 > 0.86f * page_height;
  if (!near_edge) return false;
  const float gap = neighbour == nullptr ? page_height
                    : top                ? neighbour->box.y0 - b.box.y1
                                         : b.box.y0 - neighbour->box.y1;
  if (gap < 0.9f * line.box.height()) return false;
  const auto first_space = b.text.find(' ');
  const auto last_space = b.text.rfind(' ');
  const bool number_at_end =
      is_page_number(b.text) ||
      (first_space != std::string::npos && is_page_number(b.text.substr(0, first_space))) ||
      (last_space != std::string::npos && is_page_number(b.text.substr(last_space + 1)));
  return number_at_end || line.size < body * 0.95f;
}

// Marks the page's running header (first block) and footer or page number (last block).
void label_running_lines(const PageContent& page, const std::vector<Draft>& drafts,
                         std::vector<Block>& blocks, float body) {
  if (blocks.size() < 2) return;
  const auto mark = [&](size_t i, const Block* neighbour, bool top) {
    Block& b = blocks[i];
    if (drafts[i].figure >= 0 || drafts[i].lines.size() != 1) return;
    if (b.label == Label::kTitle || b.label == Label::kImageCaption) return;
    if (!is_running_line(b, neighbour, page.lines[drafts[i].lines.front()], body, page.height,
                         top)) {
      return;
    }
    b.heading_level = 0;
    b.label = is_page_number(b.text) ? Label::kPageNumber : top ? Label::kHeader : Label::kFooter;
  };
  // The topmost and bottommost blocks, wherever reading order put them.
  size_t top = 0, bottom = 0;
  for (size_t i = 1; i < blocks.size(); ++i) {
    if (blocks[i].box.y0 < blocks[top].box.y0) top = i;
    if (blocks[i].box.y1 > blocks[bottom].box.y1) bottom = i;
  }
  const auto nearest = [&](size_t i, bool below) -> const Block* {
    const Block* best = nullptr;
    for (size_t j = 0; j < blocks.size(); ++j) {
      if (j == i) continue;
      const bool ok = below ? blocks[j].box.y0 >= blocks[i].box.y1 - 1
                            : blocks[j].box.y1 <= blocks[i].box.y0 + 1;
      if (!ok) continue;
      const float d = below ? blocks[j].box.y0 : -blocks[j].box.y1;
      if (best == nullptr || d < (below ? best->box.y0 : -best->box.y1)) best = &blocks[j];
    }
    return best;
  };
  mark(top, nearest(top, true), true);
  if (bottom != top) mark(bottom, nearest(bottom, false), false);
}

// The document title: the largest heading on the first page, when it is clearly larger.
void promote_title(std::vector<Block>& blocks) {
  Block* best = nullptr;
  for (auto& b : blocks) {
    if (b.label != Label::kTitle && b.label != Label::kSubTitle) continue;
    if (best == nullptr || b.heading_level < best->heading_level) best = &b;
  }
  if (best != nullptr && best->heading_level <= 2) {
    for (auto& b : blocks) {
      if (&b != best && b.label == Label::kTitle) {
        b.label = Label::kSubTitle;
        b.heading_level = 2;
      }
    }
    best->label = Label::kTitle;
    best->heading_level = 1;
  }
}

int n_lines_of(const PageContent& page) {
  return static_cast<int>(page.lines.size());
}

// Tesseract's own page segmentation orders an OCR page's lines well (it found the columns
// when it made the lines); its order matched the ground truth slightly better than ours on the
// dev corpus scans, and so did Poppler's reading flow on text-layer pages. Lines keep that
// order; each figure goes before the first line below its top edge that overlaps it
// horizontally.
void keep_given_line_order(std::vector<OrderedItem>& order, const std::vector<Box>& items,
                           int n_lines) {
  std::vector<OrderedItem> lines, figures;
  for (const auto& o : order) (o.index < n_lines ? lines : figures).push_back(o);
  std::ranges::sort(lines, {}, &OrderedItem::index);
  for (const auto& f : figures) {
    const Box& fb = items[f.index];
    auto at = std::ranges::find_if(lines, [&](const OrderedItem& l) {
      const Box& lb = items[l.index];
      return lb.y0 >= fb.y0 && lb.x1 > fb.x0 && lb.x0 < fb.x1;
    });
    lines.insert(at, f);
  }
  order = std::move(lines);
}

}  // namespace

std::vector<TextLine> merge_split_lines(std::vector<TextLine> lines) {
  std::vector<TextLine> out;
  out.reserve(lines.size());
  for (auto& l : lines) {
    if (!out.empty()) {
      TextLine& prev = out.back();
      const float h = std::min(prev.box.height(), l.box.height());
      const float overlap = std::min(prev.box.y1, l.box.y1) - std::max(prev.box.y0, l.box.y0);
      const float gap = l.box.x0 - prev.box.x1;
      const float size = std::max(prev.size, l.size);
      if (prev.text.size() <= 6 && overlap > 0.7f * h && gap >= 0 && gap < 2.5f * size) {
        prev.box = prev.box.united(l.box);
        prev.text += ' ' + l.text;
        prev.words.insert(prev.words.end(), l.words.begin(), l.words.end());
        prev.word_boxes.insert(prev.word_boxes.end(), l.word_boxes.begin(), l.word_boxes.end());
        prev.size = l.size;
        prev.bold = l.bold;
        continue;
      }
    }
    out.push_back(std::move(l));
  }
  return out;
}

int heading_level(float size, float body_size, int depth) {
  const float ratio = body_size > 0 ? size / body_size : 1.f;
  if (ratio >= 1.6f) return 1;
  if (ratio >= 1.3f) return 2;
  if (ratio >= 1.12f) return std::max(3, std::min(4, 2 + depth));
  return std::min(6, 3 + std::max(depth, 1));
}

std::vector<Block> analyze_layout(const PageContent& input) {
  PageContent page = input;
  page.lines = merge_split_lines(std::move(page.lines));
  const float body = body_size_of(page.lines);
  // Ruled tables first: their lines become one block each, and a frame of rules around one is
  // not a figure.
  const auto tables = find_table_regions(page.lines, page.rules);
  std::vector<int> table_of(page.lines.size(), -1);
  for (size_t t = 0; t < tables.size(); ++t) {
    for (int i : tables[t].lines) table_of[static_cast<size_t>(i)] = static_cast<int>(t);
  }
  std::vector<Box> figures;
  for (const auto& f : page.figures) {
    const bool frames_table = std::ranges::any_of(tables, [&](const TableRegion& t) {
      return t.box.intersected(f).area() >= 0.5f * f.area();
    });
    if (keep_figure(f, page) && !frames_table) figures.push_back(f);
  }

  std::vector<Box> items;
  items.reserve(page.lines.size() + figures.size());
  for (const auto& l : page.lines) items.push_back(l.box);
  for (const auto& f : figures) items.push_back(f);
  auto order = reading_order(items, page.width);
  if (page.lines_in_reading_order) keep_given_line_order(order, items, n_lines_of(page));

  std::vector<Draft> drafts;
  const int n_lines = n_lines_of(page);
  std::vector<char> table_placed(tables.size(), 0);
  for (const auto& item : order) {
    if (item.index >= n_lines) {
      Draft d;
      d.figure = item.index - n_lines;
      d.region = item.region;
      d.box = figures[d.figure];
      drafts.push_back(std::move(d));
      continue;
    }
    if (const int t = table_of[static_cast<size_t>(item.index)]; t >= 0) {
      // The table's block stands where its first line comes in reading order.
      if (!table_placed[static_cast<size_t>(t)]) {
        table_placed[static_cast<size_t>(t)] = 1;
        Draft d;
        d.table = t;
        d.region = item.region;
        d.box = tables[static_cast<size_t>(t)].box;
        drafts.push_back(std::move(d));
      }
      continue;
    }
    const TextLine& line = page.lines[item.index];
    const LineKind kind = kind_of(line, body, page.from_ocr);
    bool start_new = drafts.empty() || drafts.back().figure >= 0 || drafts.back().table >= 0 ||
                     drafts.back().region != item.region;
    if (!start_new) {
      const Draft& cur = drafts.back();
      const TextLine& prev = page.lines[cur.lines.back()];
      const float gap = line.box.y0 - prev.box.y1;
      const float h = std::min(prev.box.height(), line.box.height());
      // Text-layer line boxes span ascender to descender (about 1.4 em), so a blank line is a gap
      // of about one em; OCR boxes are tight around the ink.
      const float para_gap = page.from_ocr ? 0.8f * h : 0.5f * std::min(prev.size, line.size);
      const bool size_change =
          std::abs(line.size - prev.size) > 0.12f * std::max(line.size, prev.size);
      const bool no_overlap = line.box.x0 > cur.box.x1 || line.box.x1 < cur.box.x0;
      const bool heading_edge = (kind == LineKind::kHeading) != (cur.kind == LineKind::kHeading);
      // Cells of a table row come as separate lines on one baseline: they stay together. A
      // margin line number beside a heading is not a cell: its size or kind differs.
      const bool same_row =
          line.box.x0 >= prev.box.x1 && !size_change && !heading_edge &&
          std::min(line.box.y1, prev.box.y1) - std::max(line.box.y0, prev.box.y0) > 0.5f * h;
      start_new =
          !same_row && (gap > para_gap || gap < -0.5f * h || size_change || no_overlap ||
                        heading_edge || kind == LineKind::kCaption ||
                        (kind == LineKind::kListStart && cur.kind != LineKind::kListStart) ||
                        (line.monospace != prev.monospace));
    }
    if (start_new) {
      Draft d;
      d.region = item.region;
      d.kind = kind;
      drafts.push_back(std::move(d));
    }
    drafts.back().lines.push_back(item.index);
    drafts.back().box = drafts.back().box.united(line.box);
  }

  std::vector<Block> blocks;
  int image_index = 0;
  for (const auto& d : drafts) {
    Block b;
    b.box = d.box;
    if (d.figure >= 0) {
      b.label = Label::kImage;
      b.image_index = image_index++;
      blocks.push_back(std::move(b));
      continue;
    }
    if (d.table >= 0) {
      b.label = Label::kTable;
      b.text = tables[static_cast<size_t>(d.table)].text;
      blocks.push_back(std::move(b));
      continue;
    }
    std::vector<std::string> texts;
    bool all_mono = true;
    for (int i : d.lines) {
      texts.push_back(page.lines[i].text);
      all_mono = all_mono && page.lines[i].monospace;
    }
    b.text = join_lines(texts);
    if (d.kind == LineKind::kCaption) {
      b.label = is_table_caption_start(b.text) ? Label::kTableCaption : Label::kImageCaption;
    } else if (d.kind == LineKind::kHeading && d.lines.size() <= 3) {
      const auto& first = page.lines[d.lines.front()];
      b.heading_level = heading_level(first.size, body, section_depth(first.text));
      b.label = b.heading_level == 1 ? Label::kTitle : Label::kSubTitle;
    } else if (d.kind == LineKind::kListStart) {
      b.label = Label::kList;
      b.text = list_markdown(page, d.lines, page.from_ocr);
    } else if (!page.from_ocr && all_mono && d.lines.size() >= 2) {
      b.label = Label::kCode;
      b.text.clear();
      for (const auto& t : texts) b.text += (b.text.empty() ? "" : "\n") + t;
    } else if (auto table = detect_table(page.lines, d.lines)) {
      b.label = Label::kTable;
      b.text = std::move(*table);
    } else if (looks_like_equation(page, d)) {
      b.label = Label::kEquation;
    } else {
      b.label = Label::kText;
    }
    blocks.push_back(std::move(b));
  }
  label_running_lines(page, drafts, blocks, body);
  if (page.first_page) promote_title(blocks);
  return blocks;
}

}  // namespace docmill
