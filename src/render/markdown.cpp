#include "render/markdown.h"

#include <fmt/format.h>

#include "layout/geometry.h"

namespace docmill {
namespace {

bool is_page_furniture(Label l) {
  return l == Label::kHeader || l == Label::kFooter || l == Label::kPageNumber;
}

// A page that could not be read still has its place in the outputs, with the reason.
std::string failed_page_note(const PageResult& page) {
  return fmt::format("> **Page {} could not be processed:** {}", page.page_index + 1,
                     page.error.value_or("unknown error"));
}

template <class BlockFn>
std::string join_pages(std::span<const PageResult> pages, BlockFn page_fn) {
  std::string out;
  for (size_t i = 0; i < pages.size(); ++i) {
    if (i > 0) out += kPageSplit;
    out += page_fn(pages[i]);
  }
  return out;
}

}  // namespace

std::string image_file_name(int page_index, int image_index) {
  return fmt::format("{}_{}.jpg", page_index, image_index);
}

std::string block_markdown(const Block& b, int page_index) {
  switch (b.label) {
    case Label::kTitle:
    case Label::kSubTitle:
      return std::string(static_cast<size_t>(std::clamp(b.heading_level, 1, 6)), '#') + ' ' +
             b.text;
    case Label::kImage:
      return fmt::format("![](images/{})", image_file_name(page_index, b.image_index));
    case Label::kEquation:
      return "$$\n" + b.text + "\n$$";
    case Label::kCode:
      return "```\n" + b.text + "\n```";
    default:
      return b.text;
  }
}

std::string grounding_tag(const Block& b, float w, float h) {
  std::string boxes;
  const auto add = [&](const Box& box) {
    const NormalizedBox n = normalize_box(box, w, h);
    if (!boxes.empty()) boxes += ", ";
    boxes += fmt::format("[{}, {}, {}, {}]", n.x0, n.y0, n.x1, n.y1);
  };
  add(b.box);
  for (const auto& more : b.more_boxes) add(more);
  return fmt::format("<|ref|>{}<|/ref|><|det|>[{}]<|/det|>", to_string(b.label), boxes);
}

std::string page_markdown(const PageResult& page) {
  if (page.error) return failed_page_note(page);
  std::string out;
  for (const auto& b : page.blocks) {
    if (is_page_furniture(b.label)) continue;
    if (!out.empty()) out += "\n\n";
    out += block_markdown(b, page.page_index);
  }
  return out;
}

std::string page_markdown_det(const PageResult& page) {
  if (page.error) return failed_page_note(page);
  std::string out;
  for (const auto& b : page.blocks) {
    if (!out.empty()) out += "\n\n";
    out += grounding_tag(b, page.width, page.height);
    out += '\n';
    // An image's text is what was written in it (axis labels, legends): kept here, with
    // the picture, and out of output.md's running text.
    out += b.label == Label::kImage ? b.text : block_markdown(b, page.page_index);
  }
  return out;
}

std::string document_markdown(std::span<const PageResult> pages) {
  return join_pages(pages, page_markdown);
}

std::string document_markdown_det(std::span<const PageResult> pages) {
  return join_pages(pages, page_markdown_det);
}

}  // namespace docmill
