#pragma once
// The two markdown outputs, pure functions of the page model. Pages are joined by the
// DeepSeek-OCR page split line; `markdown_det` prefixes each block with its grounding tag.
#include <span>
#include <string>
#include <string_view>

#include "layout/page_model.h"

namespace docmill {

inline constexpr std::string_view kPageSplit = "\n\n<--- Page Split --->\n\n";

// images/{page}_{idx}.jpg: the name a figure is written under and linked by.
std::string image_file_name(int page_index, int image_index);

// One block as markdown: "## Heading", "![](images/0_1.jpg)", "$$ ... $$", a code fence, ...
std::string block_markdown(const Block& block, int page_index);

// "<|ref|>label<|/ref|><|det|>[[x1, y1, x2, y2]]<|/det|>" with 0–999 coordinates.
std::string grounding_tag(const Block& block, float page_width, float page_height);

std::string page_markdown(const PageResult& page);      // headers, footers, page numbers left out
std::string page_markdown_det(const PageResult& page);  // every block, tagged

std::string document_markdown(std::span<const PageResult> pages);
std::string document_markdown_det(std::span<const PageResult> pages);

}  // namespace docmill
