#pragma once
// The document outputs from its processed pages: output.md, output_det.md, layout.pdf and
// searchable.pdf in `out_dir` (the figures were written page by page already), or the subset
// asked for.
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "layout/page_model.h"

namespace docmill {

inline constexpr const char* kMarkdownFile = "output.md";
inline constexpr const char* kMarkdownDetFile = "output_det.md";
inline constexpr const char* kLayoutPdfFile = "layout.pdf";
inline constexpr const char* kSearchablePdfFile = "searchable.pdf";
inline constexpr const char* kImagesDir = "images";

// Which outputs a conversion writes (`docmill convert --format`); all of them by default, as a
// job always does.
struct OutputSet {
  bool markdown = true;        // md: output.md, and the figures in images/ it links
  bool markdown_det = true;    // det: output_det.md (its image blocks name the figures too)
  bool pages_json = true;      // json: pages.json, written by the converter, not write_outputs
  bool layout_pdf = true;      // pdf: layout.pdf
  bool searchable_pdf = true;  // searchable: searchable.pdf
  // Figures are cropped only for an output that links them.
  bool figures() const { return markdown || markdown_det; }
};

// How layout.pdf is made.
enum class LayoutPdfSource {
  // Into the input itself (text stays selectable); drawn from renders if that fails.
  kOriginal,
  // Straight from page renders: when writing into the input is known to fail, or to have
  // crashed a worker before.
  kRenders,
};

// Resolution of the page renders a layout PDF is drawn on when it cannot be written into the
// input: enough to see the page under its boxes, 1/9 of the pixels of 300 dpi.
inline constexpr int kLayoutRenderDpi = 100;

// Returns the warnings a person should see (layout.pdf drawn from renders, searchable.pdf not
// written, and why); an error only when the markdown or layout.pdf could not be written at all.
// With kRenders (writing into the input crashed a worker before) searchable.pdf, which is
// written into the input too, is left out.
Result<std::vector<std::string>> write_outputs(std::span<const PageResult> pages,
                                               const std::filesystem::path& input_pdf,
                                               const std::filesystem::path& out_dir,
                                               LayoutPdfSource source = LayoutPdfSource::kOriginal,
                                               const OutputSet& outputs = {});

}  // namespace docmill
