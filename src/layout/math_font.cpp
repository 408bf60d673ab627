#include "layout/math_font.h"

#include <array>
#include <cctype>
#include <string>

namespace docmill {

bool is_math_font(std::string_view name) {
  // Lower case, so "CMMI10" and "rtxmi" are matched alike. Text fonts of the same families
  // (CMR, rtxr's text roman) are left out: prose is set in them too.
  std::string lower(name.substr(0, 64));
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static constexpr std::array<std::string_view, 20> kParts = {
      "cmmi", "cmsy", "cmex", "cmbsy", "msbm", "msam", "eufm", "rsfs", "lmmi",   "lmsy",
      "lmex", "txmi", "txsy", "txex",  "pxmi", "pxsy", "pxex", "math", "symbol", "mtextra"};
  for (const auto part : kParts) {
    if (lower.find(part) != std::string::npos) return true;
  }
  return false;
}

}  // namespace docmill
