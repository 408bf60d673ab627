#include "layout/layout_analyzer.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "layout/contents_entries.h"
#include "layout/equation_detector.h"
#include "layout/figure_text.h"
#include "layout/math_text.h"
#include "layout/number_rows.h"
#include "layout/page_furniture.h"
#include "layout/reading_order.h"
#include "layout/row_pieces.h"
#include "layout/section_numbers.h"
#include "layout/table_detector.h"
#include "layout/table_region.h"
#include "layout/text_join.h"
#include "layout/text_patterns.h"

namespace docmill {
namespace {

enum class LineKind { kBody, kHeading, kListStart, kCaption };

// Characters per font size, in half points.
std::map<int, size_t> size_weights(const std::vector<TextLine>& lines) {
  std::map<int, size_t> weight;
  for (const auto& l : lines) weight[static_cast<int>(std::lround(l.size * 2))] += l.text.size();
  return weight;
}

// The font size most of the page's characters have: what "body text" means on this page.
float body_size_of(const std::vector<TextLine>& lines) {
  const auto weight = size_weights(lines);
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

// The size headings are measured against: the body size, or a larger size that carries a fair
// share (a quarter or more) of the page's characters. On a page whose references or footnotes
// outnumber its paragraphs, the paragraphs' size is text, not a heading size. Text-layer sizes
// only: OCR's line heights scatter, and a heading there needs a larger step anyway.
float heading_base_of(const std::vector<TextLine>& lines, float body, bool from_ocr) {
  if (from_ocr) return body;
  const auto weight = size_weights(lines);
  size_t total = 0;
  for (const auto& [size, w] : weight) total += w;
  float base = body;
  for (const auto& [size, w] : weight) {
    if (4 * w >= total) base = std::max(base, size / 2.f);
  }
  return base;
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

bool ends_paragraph(std::string_view t) {
  return !t.empty() && (t.back() == '.' || t.back() == '!' || t.back() == '?' || t.back() == ':');
}

bool ends_sentence(std::string_view t) {
  return !t.empty() && (t.back() == '.' || t.back() == ',' || t.back() == ';');
}

// Letters (any non-ASCII character counts as one) and other characters of `t`, spaces aside.
std::pair<int, int> letters_and_others(std::string_view t) {
  int letters = 0, others = 0;
  for (char c : t) {
    if (c == ' ') continue;
    const bool letter =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80;
    (letter ? letters : others)++;
  }
  return {letters, others};
}

// A numbered line whose words after the number are mostly letters and that does not end in a
// number: "2.3 Generating regular sequences", not "2 300F 480" or an entry ending in its page.
bool reads_as_title(std::string_view t) {
  const auto space = t.find(' ');
  const std::string_view rest = t.substr(space + 1);
  const auto last_space = rest.rfind(' ');
  const std::string_view last =
      last_space == std::string_view::npos ? rest : rest.substr(last_space + 1);
  if (std::ranges::any_of(last, [](char c) { return c >= '0' && c <= '9'; })) return false;
  const auto [letters, others] = letters_and_others(rest);
  return letters >= 3 && letters >= 4 * others;
}

// Words make a heading: a line of numbers and signs (a chart's values and labels, read by OCR
// in large type) is not one.
bool wordy(std::string_view t) {
  const auto [letters, others] = letters_and_others(t);
  return letters >= 2 && letters >= others;
}

LineKind kind_of(const TextLine& l, float heading_base, bool from_ocr) {
  const std::string_view t = l.text;
  if (is_figure_caption_start(t) || is_table_caption_start(t)) return LineKind::kCaption;
  if (l.figure_row) return LineKind::kBody;
  const float ratio = l.size / heading_base;
  const size_t words = static_cast<size_t>(std::ranges::count(t, ' ')) + 1;
  const bool short_line = t.size() <= 120 && words <= 16;
  if (short_line && !ends_sentence(t) && !has_dot_leader(t) && wordy(t)) {
    if (ratio >= (from_ocr ? 1.3f : 1.12f) && t.size() >= 2) return LineKind::kHeading;
    if (!from_ocr && l.bold && words <= 12 && t.size() >= 3) return LineKind::kHeading;
    // A numbered short line set apart by style: bold, italic, larger, or in capitals
    // ("1. INTRODUCTION" in AASTeX, "3.5. Enhanced graphics" in italics).
    // OCR knows no bold: there a number alone is weak evidence (a contents entry, a value in
    // a chart have one too). An OCR line passes when it reads as a title: words after the
    // number, and no page number or value at its end.
    if (is_numbered_heading(t) && words <= 10 && !has_dot_leader(t) &&
        (l.bold || l.italic || ratio >= 1.05f || is_all_caps(t) ||
         (from_ocr && reads_as_title(t)))) {
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
  int equation = -1;  // the display equation (find_display_equations) its lines make up
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
      // An equation's number "(7)" stays a line of its own, for find_display_equations.
      if (prev.text.size() <= 6 && overlap > 0.7f * h && gap >= 0 && gap < 2.5f * size &&
          !is_equation_number(l.text)) {
        const auto chars = [](const TextLine& t) { return static_cast<float>(t.text.size()); };
        prev.math_font_share = (prev.math_font_share * chars(prev) + l.math_font_share * chars(l)) /
                               std::max(1.f, chars(prev) + chars(l));
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
  page.lines = join_section_numbers(
      merge_split_lines(join_row_pieces(join_number_rows(std::move(page.lines)))));
  const float body = body_size_of(page.lines);
  const float heading_base = heading_base_of(page.lines, body, page.from_ocr);
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
  const std::vector<int> figure_of = figure_owned_lines(page.lines, figures, body);
  std::vector<int> equation_of(page.lines.size(), -1);
  if (!page.from_ocr) {
    const auto equations = find_display_equations(page.lines, body);
    for (size_t e = 0; e < equations.size(); ++e) {
      for (int i : equations[e]) equation_of[static_cast<size_t>(i)] = static_cast<int>(e);
    }
    keep_equations_together(order, equation_of);
  }

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
    if (figure_of[static_cast<size_t>(item.index)] >= 0) continue;  // the figure's own text
    const TextLine& line = page.lines[item.index];
    const LineKind kind = kind_of(line, heading_base, page.from_ocr);
    const int equation = equation_of[static_cast<size_t>(item.index)];
    bool start_new = drafts.empty() || drafts.back().figure >= 0 || drafts.back().table >= 0 ||
                     drafts.back().region != item.region;
    if (equation >= 0 || (!drafts.empty() && drafts.back().equation >= 0)) {
      // A formula's pieces stay together whatever their gaps and sizes; text around it is
      // not part of it.
      start_new = drafts.empty() || drafts.back().equation != equation;
    } else if (!start_new) {
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
      // Going back up the page (a new column). A line whose box a sub- or superscript made
      // tall overlaps the next one, which still starts well below its top.
      const bool back_up = gap < -0.5f * h && line.box.y0 < prev.box.y0 + 0.5f * h;
      const bool heading_edge = (kind == LineKind::kHeading) != (cur.kind == LineKind::kHeading);
      // Cells of a table row come as separate lines on one baseline: they stay together. A
      // margin line number beside a heading is not a cell: its size or kind differs.
      const bool same_row =
          line.box.x0 >= prev.box.x1 && !size_change && !heading_edge &&
          std::min(line.box.y1, prev.box.y1) - std::max(line.box.y0, prev.box.y0) > 0.5f * h;
      // Where paragraphs are not spaced apart (LaTeX, most books) a first line set in by an
      // em or more opens one, after a line that ends one: short of the column's right edge,
      // or at a full stop. A reference's or list item's indented second line follows a full
      // line that runs on. More than four em in is a centred or quoted line, not an indent.
      // Set in against the line before, not the block's left edge: on a skewed scan each line
      // starts a little further in than the one above.
      const float indent = line.box.x0 - prev.box.x0;
      const bool indented =
          cur.kind == LineKind::kBody && kind == LineKind::kBody && !line.monospace &&
          indent >= 0.8f * line.size && indent <= 4.f * line.size &&
          (prev.box.x1 < cur.box.x1 - 1.5f * line.size || ends_paragraph(prev.text));
      start_new =
          !same_row && (gap > para_gap || back_up || size_change || no_overlap || heading_edge ||
                        indented || kind == LineKind::kCaption ||
                        (kind == LineKind::kListStart && cur.kind != LineKind::kListStart) ||
                        (line.monospace != prev.monospace));
    }
    if (start_new) {
      Draft d;
      d.region = item.region;
      d.kind = kind;
      d.equation = equation;
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
      b.text = figure_text(page.lines, figure_of, d.figure);
      blocks.push_back(std::move(b));
      continue;
    }
    if (d.equation >= 0) {
      b.label = Label::kEquation;
      b.text = equation_tex(page.lines, d.lines);
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
    } else if (auto contents = contents_markdown(page.lines, d.lines)) {
      b.label = Label::kList;
      b.text = std::move(*contents);
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
    } else if (page.from_ocr && looks_like_equation(page, d)) {
      // Text-layer pages have find_display_equations, which sees fonts and layout; OCR pages
      // only have the symbols.
      b.label = Label::kEquation;
    } else {
      b.label = Label::kText;
    }
    blocks.push_back(std::move(b));
  }
  std::vector<std::vector<int>> block_lines;
  block_lines.reserve(drafts.size());
  for (const auto& d : drafts) block_lines.push_back(d.lines);
  label_page_furniture({page.lines, block_lines, body, page.width, page.height, page.from_ocr},
                       blocks);
  if (page.first_page) promote_title(blocks);
  return blocks;
}

}  // namespace docmill
