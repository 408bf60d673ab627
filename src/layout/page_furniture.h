#pragma once
// Page furniture found on one page: running headers and footers, page numbers, margin line
// numbers and banners set sideways in a side margin. Relabels the blocks it finds as `header`,
// `footer` or `page_number`, which the markdown leaves out (output_det.md keeps them).
#include <span>
#include <vector>

#include "layout/page_model.h"

namespace docmill {

struct FurniturePage {
  std::span<const TextLine> lines;
  // For each block, the indices of its lines in `lines` (empty for figures).
  std::span<const std::vector<int>> block_lines;
  float body_size = 10;  // the font size of the page's body text
  float width = 0;
  float height = 0;
  bool from_ocr = false;  // sizes are estimates
};

// Share of the page height at the top and at the bottom where running lines sit.
inline constexpr float kFurnitureBand = 0.16f;

void label_page_furniture(const FurniturePage& page, std::vector<Block>& blocks);

}  // namespace docmill
