#pragma once
// A display equation's lines as TeX: what goes between "$$" and "$$" in markdown.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "layout/page_model.h"

namespace docmill {

// TeX's special characters escaped (# $ % & _ { } \). Greek letters and operators stay as the
// text layer gives them: KaTeX and MathJax take them in math mode, and the text stays the
// text. (Writing \alpha, \leq ... raised the dev corpus's born CER by 0.0013.)
std::string tex_escaped(std::string_view text);

// The lines `idx` of one equation as TeX: pieces in the order given; a word set
// smaller and lower (higher) than its neighbours becomes a subscript _{…} (superscript ^{…});
// the equation number becomes \tag{3}.
std::string equation_tex(std::span<const TextLine> lines, const std::vector<int>& idx);

}  // namespace docmill
