#pragma once
// Joining the lines of a block into running text.
#include <span>
#include <string>
#include <string_view>

namespace docmill {

// Lines joined with spaces; a word hyphenated at a line end ("infor-" + "mation") is rejoined
// without its hyphen when the next line goes on in lower case.
std::string join_lines(std::span<const std::string> lines);

// Appends `next` to `text` by the same rule.
void append_line(std::string& text, std::string_view next);

// True when `s` starts with a lower-case letter, including the common non-ASCII lower-case
// letters of Latin scripts (UTF-8 0xC3 followed by 0x9F–0xBF: ß, à–ÿ).
bool starts_lower(std::string_view s);

}  // namespace docmill
