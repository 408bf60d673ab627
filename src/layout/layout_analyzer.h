#pragma once
// From lines and figure regions to labelled blocks in reading order: the layout step that text
// layer pages and OCR pages share.
#include <vector>

#include "layout/page_model.h"

namespace docmill {

struct PageContent {
  float width = 0;  // points
  float height = 0;
  std::vector<TextLine> lines;  // boxes and sizes in points
  std::vector<Box> figures;     // picture regions in points
  bool from_ocr = false;        // sizes are estimates, no bold or font information
};

std::vector<Block> analyze_layout(const PageContent& page);

// The markdown heading level (1–6) of a heading line of `size` on a page whose body text is
// `body_size`; `section_depth` is 1 for "3 Results", 2 for "3.1 ...", 0 when unnumbered.
int heading_level(float size, float body_size, int section_depth);

}  // namespace docmill
