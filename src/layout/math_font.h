#pragma once
// Which fonts set mathematics: the name alone tells (TeX's math fonts, OpenType math fonts,
// Symbol), and a line set mostly in them is a formula.
#include <string_view>

namespace docmill {

// True for a math font's name, with or without a subset prefix ("ABCDEF+CMMI10"): Computer and
// Latin Modern math italic, symbols and extensions, the AMS symbol fonts, newtx/pxfonts math,
// "... Math" OpenType fonts (STIX Two Math, Cambria Math), Symbol and MT Extra.
bool is_math_font(std::string_view name);

}  // namespace docmill
