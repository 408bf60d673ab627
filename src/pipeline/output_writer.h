#pragma once
// The document outputs from its processed pages: output.md, output_det.md, layout.pdf and
// searchable.pdf in `out_dir` (the figures were written page by page already).
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
                                               LayoutPdfSource source = LayoutPdfSource::kOriginal);

}  // namespace docmill
