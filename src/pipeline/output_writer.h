#pragma once
// The document outputs from its processed pages: output.md, output_det.md and layout.pdf in
// `out_dir` (the figures were written page by page already).
#include <filesystem>
#include <span>

#include "core/error.h"
#include "layout/page_model.h"

namespace docmill {

inline constexpr const char* kMarkdownFile = "output.md";
inline constexpr const char* kMarkdownDetFile = "output_det.md";
inline constexpr const char* kLayoutPdfFile = "layout.pdf";
inline constexpr const char* kImagesDir = "images";

Status write_outputs(std::span<const PageResult> pages, const std::filesystem::path& input_pdf,
                     const std::filesystem::path& out_dir);

}  // namespace docmill
