#include "layout/text_patterns.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace docmill {
namespace {

bool starts_with_word(std::string_view text, std::string_view word) {
  return text.size() > word.size() && text.substr(0, word.size()) == word;
}

// After `prefix`, optional space, then a digit or roman numeral.
bool numbered_after(std::string_view text, std::string_view prefix) {
  if (!starts_with_word(text, prefix)) return false;
  std::string_view rest = text.substr(prefix.size());
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (rest.empty()) return false;
  const char c = rest.front();
  return std::isdigit(static_cast<unsigned char>(c)) || c == 'I' || c == 'V' || c == 'X' ||
         (c >= 'A' && c <= 'Z' && rest.size() > 1 && (rest[1] == '.' || rest[1] == ':'));
}

bool is_roman(std::string_view s) {
  if (s.empty()) return false;
  return std::ranges::all_of(s, [](char c) {
    const char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return l == 'i' || l == 'v' || l == 'x' || l == 'l' || l == 'c';
  });
}

constexpr std::array<std::string_view, 9> kBullets = {"•", "◦", "▪", "‣", "∙", "●", "○", "■", "·"};

}  // namespace

bool is_figure_caption_start(std::string_view t) {
  return numbered_after(t, "Figure") || numbered_after(t, "Fig.") || numbered_after(t, "FIGURE") ||
         numbered_after(t, "FIG.") || numbered_after(t, "Abbildung") || numbered_after(t, "Abb.");
}

bool is_table_caption_start(std::string_view t) {
  return numbered_after(t, "Table") || numbered_after(t, "TABLE") || numbered_after(t, "Tabelle");
}

std::string_view strip_bullet(std::string_view t) {
  for (auto b : kBullets) {
    if (t.starts_with(b)) {
      t.remove_prefix(b.size());
      while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
      return t;
    }
  }
  if (t.size() > 2 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && t[1] == ' ') {
    return t.substr(2);
  }
  if (t.starts_with("–") && t.size() > 4 && t[3] == ' ') return t.substr(4);
  return t;
}

bool is_list_item_start(std::string_view t) {
  if (strip_bullet(t).size() != t.size()) return true;
  // "1." "12)" "(3)" "a)" "(b)" followed by a space and text.
  size_t i = 0;
  const bool paren = !t.empty() && t[0] == '(';
  if (paren) ++i;
  const size_t digits_start = i;
  while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i])) && i - digits_start < 2)
    ++i;
  if (i == digits_start) {
    if (i < t.size() && t[i] >= 'a' && t[i] <= 'h') {
      ++i;
    } else {
      return false;
    }
  }
  if (i >= t.size()) return false;
  const bool closes = t[i] == ')' || (!paren && t[i] == '.');
  return closes && i + 2 < t.size() && t[i + 1] == ' ' && t[i + 2] != ' ';
}

bool is_numbered_heading(std::string_view t) {
  size_t i = 0;
  const auto is_sec_char = [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
  };
  if (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) {
    while (i < t.size() && is_sec_char(t[i])) ++i;
  } else {
    // Roman numerals or a single capital letter with a dot: "IV. Results", "A. Proofs".
    size_t j = 0;
    while (j < t.size() && t[j] != ' ' && t[j] != '.') ++j;
    if (j == 0 || j >= t.size() || t[j] != '.') return false;
    if (!is_roman(t.substr(0, j)) && !(j == 1 && t[0] >= 'A' && t[0] <= 'Z')) return false;
    i = j + 1;
  }
  if (i == 0 || i > 8 || i + 1 >= t.size() || t[i] != ' ') return false;
  const unsigned char first = static_cast<unsigned char>(t[i + 1]);
  return std::isupper(first) || first >= 0x80;
}

bool has_dot_leader(std::string_view t) {
  int dots = 0;
  for (char c : t) {
    if (c == '.') {
      if (++dots >= 4) return true;
    } else if (c != ' ') {
      dots = 0;
    }
  }
  return t.find("…") != std::string_view::npos;
}

namespace {

// "3 of 10", "2 von 2", "Page 3 of 10": the page and the count around a word.
bool is_page_of_pages(std::string_view t) {
  for (std::string_view word : {" of ", " von ", " de ", " sur "}) {
    const auto at = t.find(word);
    if (at == std::string_view::npos) continue;
    std::string_view before = t.substr(0, at);
    if (const auto space = before.rfind(' '); space != std::string_view::npos) {
      const std::string_view lead = before.substr(0, space);
      if (lead != "Page" && lead != "page" && lead != "Seite" && lead != "p.") return false;
      before = before.substr(space + 1);
    }
    const std::string_view after = t.substr(at + word.size());
    const auto digits = [](std::string_view s) {
      return !s.empty() && s.size() <= 5 && std::ranges::all_of(s, [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      });
    };
    return digits(before) && digits(after);
  }
  return false;
}

}  // namespace

bool is_page_number(std::string_view t) {
  if (is_page_of_pages(t)) return true;
  std::string s;
  for (char c : t) {
    if (c != ' ' && c != '-' && c != '|') s += c;
  }
  if (s.starts_with("Page") || s.starts_with("page") || s.starts_with("Seite")) {
    s = s.substr(s.starts_with("Seite") ? 5 : 4);
  }
  if (s.empty() || s.size() > 9) return false;
  if (is_roman(s)) return s.size() <= 6;
  bool digit = false;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digit = true;
    } else if (c != '/' && c != '.') {
      return false;
    }
  }
  return digit;
}

float math_symbol_share(std::string_view t) {
  static constexpr std::array<std::string_view, 24> kMath = {
      "=", "+", "<", ">", "^", "∑", "∫", "∂", "√", "≤", "≥", "≠",
      "∞", "×", "±", "·", "α", "β", "γ", "δ", "λ", "σ", "θ", "π"};
  int math = 0, total = 0;
  for (size_t i = 0; i < t.size();) {
    const unsigned char c = static_cast<unsigned char>(t[i]);
    const size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    const std::string_view ch = t.substr(i, len);
    if (ch != " ") {
      ++total;
      if (std::ranges::find(kMath, ch) != kMath.end()) ++math;
    }
    i += len;
  }
  return total > 0 ? static_cast<float>(math) / static_cast<float>(total) : 0.f;
}

int prose_word_count(std::string_view text) {
  int n = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view w = text.substr(start, end - start);
    start = end + 1;
    while (!w.empty() && std::string_view(",.;:").find(w.back()) != std::string_view::npos) {
      w.remove_suffix(1);
    }
    if (w.size() >= 3 && std::ranges::all_of(w, [](char c) { return c >= 'a' && c <= 'z'; })) {
      ++n;
    }
  }
  return n;
}

}  // namespace docmill
