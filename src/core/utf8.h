#pragma once
// Text from a PDF (ToUnicode maps, font names, MuPDF's messages about the file) or from OCR is
// whatever bytes the file or the engine produced. JSON, markdown and SQLite need valid UTF-8,
// so every such string is cleaned once, where it enters the page model.
#include <string>
#include <string_view>

namespace docmill {

// `s` as valid UTF-8: each byte that does not start or continue a well-formed sequence
// (stray continuation bytes, truncated sequences, overlong forms, code points past U+10FFFF)
// becomes U+FFFD; surrogate code points (lone, or paired the CESU-8 way) and U+0000 are
// dropped, since they carry no text and break JSON encoders. Valid input is returned as is.
std::string valid_utf8(std::string_view s);

// The code points of `s`, which is valid UTF-8 (as valid_utf8 returns it).
std::u32string code_points(std::string_view s);

}  // namespace docmill
