#pragma once
// A display equation's lines as TeX: what goes between "$$" and "$$" in markdown.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "layout/page_model.h"

namespace docmill {

// Greek letters and operators as TeX commands (α → \alpha, ≤ → \leq), TeX's special characters
// escaped; other characters as they are.
std::string tex_symbols(std::string_view text);

// The lines `idx` of one equation as TeX: pieces read row by row, left to right; a word set
// smaller and lower (higher) than its neighbours becomes a subscript _{…} (superscript ^{…});
// the equation number becomes \tag{3}.
std::string equation_tex(std::span<const TextLine> lines, const std::vector<int>& idx);

}  // namespace docmill
