#pragma once
// From lines and figure regions to labelled blocks in reading order: the layout step that text
// layer pages and OCR pages share.
#include <vector>

#include "layout/page_model.h"
#include "layout/rule_lines.h"

namespace docmill {

struct PageContent {
  float width = 0;  // points
  float height = 0;
  std::vector<TextLine> lines;  // boxes and sizes in points
  std::vector<Box> figures;     // picture regions in points
  bool from_ocr = false;        // sizes are estimates, no bold or font information
  bool first_page = false;      // the largest heading of a document's first page is its title
  // The lines come in reading order (Tesseract's, or the text layer's reading flow): they keep
  // it, and only figures are placed by position. Otherwise the order comes from column gutters.
  bool lines_in_reading_order = false;
  // Ruling lines drawn on the page (text layer) or found in its image (OCR): they frame tables.
  RuleLines rules{};
};

// Lines on one baseline that the text layer split at a wide gap, where the left part is a
// section number or a bullet ("1" + "Introduction"), joined back into one line.
std::vector<TextLine> merge_split_lines(std::vector<TextLine> lines);

std::vector<Block> analyze_layout(const PageContent& page);

// The markdown heading level (1–6) of a heading line of `size` on a page whose body text is
// `body_size`; `section_depth` is 1 for "3 Results", 2 for "3.1 ...", 0 when unnumbered.
int heading_level(float size, float body_size, int section_depth);

}  // namespace docmill
