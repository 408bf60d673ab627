#include "layout/text_join.h"

namespace docmill {
namespace {

bool is_ascii_lower(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_letter_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

}  // namespace

bool starts_lower(std::string_view s) {
  if (s.empty()) return false;
  if (is_ascii_lower(s[0])) return true;
  return s.size() >= 2 && static_cast<unsigned char>(s[0]) == 0xC3 &&
         static_cast<unsigned char>(s[1]) >= 0x9F && static_cast<unsigned char>(s[1]) <= 0xBF;
}

void append_line(std::string& text, std::string_view next) {
  if (next.empty()) return;
  if (text.empty()) {
    text = next;
    return;
  }
  const size_t n = text.size();
  const bool hyphen_end = text[n - 1] == '-' && n >= 2 && is_letter_byte(text[n - 2]);
  if (hyphen_end && starts_lower(next)) {
    text.pop_back();
    text += next;
    return;
  }
  text += ' ';
  text += next;
}

std::string join_lines(std::span<const std::string> lines) {
  std::string text;
  for (const auto& l : lines) append_line(text, l);
  return text;
}

}  // namespace docmill
