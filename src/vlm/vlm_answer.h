#pragma once
// What an OCR vision-language model answered for one page, parsed: blocks in the model's
// reading order, with their labels, their boxes in the model's 0–999 frame of the image it was
// sent, and their content as markdown. Placing them on the page (points, text layer, image
// crops) is the engine's job; this is the model's answer only.
#include <string>
#include <string_view>
#include <vector>

#include "layout/geometry.h"
#include "layout/page_model.h"

namespace docmill {

struct VlmBlock {
  Label label = Label::kText;
  // 0–999 relative to the image sent (x_px = x / 999 * width). Several when the model gave
  // several for one tag; empty when it gave none (a plain-markdown model).
  std::vector<NormalizedBox> boxes;
  // The content as Block::text holds it: no heading marks; a markdown table, or HTML
  // <table> where cells span; an equation's TeX without delimiters; empty for images.
  std::string text;
  int heading_level = 0;  // 1–6 for kTitle / kSubTitle
};

struct VlmAnswer {
  std::vector<VlmBlock> blocks;
  // Parts that did not parse (a cut answer, an unknown label, a broken tag): kept what could
  // be kept and said what was not.
  std::vector<std::string> warnings;
};

// DeepSeek-OCR's grounding format: `<|ref|>label<|/ref|><|det|>[[x0, y0, x1, y1], ...]<|/det|>`
// then the block's markdown, repeated (../shared/spec/VLM.md).
VlmAnswer parse_deepseek_answer(std::string_view content);

// A model that answers plain markdown without boxes: blocks split at blank lines and
// structure (headings, tables, display equations, lists), each with no box.
VlmAnswer parse_markdown_answer(std::string_view content);

}  // namespace docmill
