#pragma once
// The layout PDF: the input's pages, untouched (text stays selectable), with each block drawn
// as a rectangle annotation in its label's colour and the label written at its corner.
#include <filesystem>
#include <span>

#include "core/error.h"
#include "layout/page_model.h"

namespace docmill {

Status write_layout_pdf(const std::filesystem::path& input, std::span<const PageResult> pages,
                        const std::filesystem::path& output);

}  // namespace docmill
