#pragma once
// The reading flow of a page's text layer as Poppler sees it: its words in the order
// pdftotext prints them. Poppler's text analysis groups words into lines, blocks and flows
// (columns, sidebars, tables read column by column) and orders the flows; that order is the
// usual reference for born-digital PDFs, and MuPDF's structured text has no equivalent (it
// keeps content-stream order). The words' boxes say where each piece of the flow lies, so the
// lines MuPDF read (with their fonts and styles) can be put into that order.
#include <filesystem>
#include <memory>
#include <vector>

#include "core/error.h"
#include "layout/geometry.h"

namespace poppler {
class document;
}

namespace docmill {

class TextFlow {
 public:
  // Errors: kCorrupt when Poppler cannot open the file (MuPDF, which repairs more, may still).
  static Result<TextFlow> open(const std::filesystem::path& path);

  TextFlow(TextFlow&&) noexcept;
  TextFlow& operator=(TextFlow&&) noexcept;
  ~TextFlow();

  // The page's word boxes, in points with the origin at the top left, in reading order.
  Result<std::vector<Box>> words(int page_index);

 private:
  explicit TextFlow(std::unique_ptr<poppler::document> doc);
  std::unique_ptr<poppler::document> doc_;
};

}  // namespace docmill
