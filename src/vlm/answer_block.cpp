#include "vlm/answer_block.h"

#include <algorithm>
#include <utility>

#include "layout/text_patterns.h"
#include "vlm/html_table.h"

namespace docmill {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

// Lines trimmed (leading whitespace too when `strip_indent`), blank-line runs folded to one
// blank line (or none, inside an equation), the whole trimmed.
std::string tidy(std::string_view text, bool strip_indent, bool keep_blank_lines = true) {
  std::string out;
  int blank_run = 0;
  for (std::string_view line : split_lines(text)) {
    while (!line.empty() && is_blank(line.back())) line.remove_suffix(1);
    if (strip_indent) {
      while (!line.empty() && is_blank(line.front())) line.remove_prefix(1);
    }
    if (line.empty()) {
      ++blank_run;
      continue;
    }
    if (!out.empty()) out += (blank_run > 0 && keep_blank_lines) ? "\n\n" : "\n";
    out += line;
    blank_run = 0;
  }
  return out;
}

// s[i] is a backslash that is not itself escaped (an odd run of backslashes ends at i), and
// s[i + 1] == c: the TeX delimiter `\c`, not `\\c` (a line break followed by c).
bool delimiter_at(std::string_view s, size_t i, char c) {
  if (i + 1 >= s.size() || s[i] != '\\' || s[i + 1] != c) return false;
  size_t run = 0;
  while (run < i && s[i - 1 - run] == '\\') ++run;
  return run % 2 == 0;
}

size_t find_delimiter(std::string_view s, size_t from, char c) {
  for (size_t i = from; i + 1 < s.size(); ++i) {
    if (delimiter_at(s, i, c)) return i;
  }
  return std::string_view::npos;
}

std::string colon_macros(std::string s) {
  return replace_all(replace_all(std::move(s), "\\coloneqq", ":="), "\\eqqcolon", "=:");
}

// An equation block's TeX: the display delimiters (`\[ \]`, `$$`, and `\( \)` around the
// whole) removed, since the renderer writes its own `$$`; blank lines dropped, as they end a
// display equation in markdown readers.
std::string equation_tex(std::string_view body) {
  std::string tex;
  for (size_t i = 0; i < body.size(); ++i) {
    if (delimiter_at(body, i, '[') || delimiter_at(body, i, ']')) {
      ++i;
      tex += ' ';
    } else if (body[i] == '$' && i + 1 < body.size() && body[i + 1] == '$') {
      ++i;
      tex += ' ';
    } else {
      tex += body[i];
    }
  }
  std::string_view t = trim_answer(tex);
  if (t.size() >= 4 && delimiter_at(t, 0, '(') && delimiter_at(t, t.size() - 2, ')')) {
    t = trim_answer(t.substr(2, t.size() - 4));
  } else if (t.size() >= 2 && t.front() == '$' && t.back() == '$') {
    t = trim_answer(t.substr(1, t.size() - 2));
  }
  return tidy(t, true, false);
}

struct ListItem {
  size_t indent = 0;
  std::string line;  // normalised: "- item", "3. item", "- a) item"
};

// "12." / "12)" / "(12)" / "a)" / "(iv)" followed by a space and text, as a markdown item.
std::optional<std::string> enumerated_item(std::string_view t) {
  const bool paren = t.starts_with('(');
  size_t i = paren ? 1 : 0;
  const size_t start = i;
  while (i < t.size() && i - start < 3 && t[i] >= '0' && t[i] <= '9') ++i;
  const bool digits = i > start;
  if (!digits) {
    // One letter, or a short roman numeral: "a)", "(b)", "(iv)". Letters never take a dot
    // ("A. Smith wrote" is a sentence).
    while (i < t.size() && i - start < 4 &&
           ((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z')))
      ++i;
    const std::string_view word = t.substr(start, i - start);
    const bool roman = !word.empty() && std::ranges::all_of(word, [](char c) {
      return c == 'i' || c == 'v' || c == 'x' || c == 'I' || c == 'V' || c == 'X';
    });
    if (word.size() != 1 && !roman) return std::nullopt;
  }
  if (i >= t.size()) return std::nullopt;
  const bool closes = t[i] == ')' || (digits && !paren && t[i] == '.');
  if (!closes || i + 1 >= t.size() || t[i + 1] != ' ') return std::nullopt;
  const std::string_view rest = trim_answer(t.substr(i + 2));
  if (rest.empty()) return std::nullopt;
  if (digits) return std::string(t.substr(start, i - start)) + ". " + std::string(rest);
  return "- " + std::string(t.substr(0, i + 1)) + ' ' + std::string(rest);
}

std::optional<ListItem> list_item(std::string_view line) {
  size_t indent = 0;
  size_t i = 0;
  for (; i < line.size() && is_blank(line[i]); ++i) indent += line[i] == '\t' ? 4 : 1;
  const std::string_view t = line.substr(i);
  const std::string_view unbulleted = strip_bullet(t);
  if (unbulleted.size() != t.size()) {
    const std::string_view rest = trim_answer(unbulleted);
    if (rest.empty()) return std::nullopt;
    return ListItem{indent, "- " + std::string(rest)};
  }
  if (auto item = enumerated_item(t)) return ListItem{indent, std::move(*item)};
  return std::nullopt;
}

// `# Title` -> (1, "Title"). Any run of '#' counts for a block the model labelled a heading;
// `require_space` (for a text block) wants markdown's "#{1,6} text".
std::optional<std::pair<int, std::string_view>> heading_marks(std::string_view line,
                                                              bool require_space) {
  size_t marks = 0;
  while (marks < line.size() && line[marks] == '#') ++marks;
  if (marks == 0) return std::nullopt;
  const std::string_view rest = trim_answer(line.substr(marks));
  if (require_space && (marks > 6 || marks >= line.size() || line[marks] != ' ' || rest.empty()))
    return std::nullopt;
  return std::pair{static_cast<int>(std::min<size_t>(marks, 6)), rest};
}

// A heading's lines as one line (a markdown heading cannot span lines), its marks removed.
VlmBlock heading_block(Label label, std::string_view text) {
  VlmBlock block;
  block.label = label;
  block.heading_level = label == Label::kTitle ? 1 : 2;
  bool first = true;
  for (std::string_view line : split_lines(text)) {
    line = trim_answer(line);
    if (line.empty()) continue;
    if (auto marks = heading_marks(line, false)) {
      if (first) block.heading_level = marks->first;
      line = marks->second;
    }
    if (!block.text.empty() && !line.empty()) block.text += ' ';
    block.text += line;
    first = false;
  }
  return block;
}

// Each HTML table in `text` as table_markdown gives it, the text around it kept before and after.
std::string tables_in(std::string_view text, std::vector<std::string>& warnings) {
  std::string lower(text);
  for (char& c : lower) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  if (lower.find("<table") == std::string::npos) {
    // Rows without the <table> around them are a table too.
    if (lower.find("<tr") == std::string::npos && lower.find("<td") == std::string::npos)
      return std::string(text);
    return table_markdown(text);
  }
  std::vector<std::string> parts;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = lower.find("<table", pos);
    if (start == std::string::npos) {
      parts.emplace_back(trim_answer(text.substr(pos)));
      break;
    }
    parts.emplace_back(trim_answer(text.substr(pos, start - pos)));
    const size_t close = lower.find("</table>", start);
    const size_t end = close == std::string::npos ? text.size() : close + 8;
    if (close == std::string::npos) {
      warnings.emplace_back(
          "a table in the model's answer was cut before its end; its rows "
          "up to the cut are kept");
    }
    parts.push_back(table_markdown(text.substr(start, end - start)));
    pos = end;
  }
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += "\n\n";
    out += p;
  }
  return out;
}

std::string code_text(std::string_view body) {
  std::vector<std::string_view> lines = split_lines(body);
  while (!lines.empty() && trim_answer(lines.front()).empty()) lines.erase(lines.begin());
  while (!lines.empty() && trim_answer(lines.back()).empty()) lines.pop_back();
  if (!lines.empty() && (trim_answer(lines.front()).starts_with("```") ||
                         trim_answer(lines.front()).starts_with("~~~"))) {
    const std::string_view fence = trim_answer(lines.front()).substr(0, 3);
    lines.erase(lines.begin());
    if (!lines.empty() && trim_answer(lines.back()) == fence) lines.pop_back();
  }
  std::string out;
  for (std::string_view line : lines) {
    while (!line.empty() && is_blank(line.back())) line.remove_suffix(1);
    if (!out.empty()) out += '\n';
    out += line;
  }
  return out;
}

}  // namespace

std::string markdown_math(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  // Once a closing delimiter is missing after some point it is missing after every later one:
  // remembering that keeps "\( \( \( …" linear.
  bool no_inline_close = false, no_display_close = false;
  size_t i = 0;
  while (i < text.size()) {
    const bool inline_open = !no_inline_close && delimiter_at(text, i, '(');
    if (inline_open || (!no_display_close && delimiter_at(text, i, '['))) {
      const size_t close = find_delimiter(text, i + 2, inline_open ? ')' : ']');
      (inline_open ? no_inline_close : no_display_close) = close == std::string_view::npos;
      if (close != std::string_view::npos) {
        const std::string_view inner = trim_answer(text.substr(i + 2, close - i - 2));
        const std::string_view mark = inline_open ? "$" : "$$";
        out += mark;
        out += inner;
        out += mark;
        i = close + 2;
        continue;
      }
    }
    out += text[i++];
  }
  return colon_macros(std::move(out));
}

std::optional<std::string> list_markdown(std::string_view text, bool continuations) {
  std::vector<ListItem> items;
  for (std::string_view line : split_lines(text)) {
    if (trim_answer(line).empty()) continue;
    if (auto item = list_item(line)) {
      items.push_back(std::move(*item));
    } else if (continuations && !items.empty()) {
      items.back().line += ' ';
      items.back().line += trim_answer(line);
    } else {
      return std::nullopt;
    }
  }
  if (items.empty()) return std::nullopt;
  // Nesting is kept relative to the first item, in steps markdown readers agree on.
  const size_t base = items.front().indent;
  std::string out;
  for (const auto& item : items) {
    const size_t depth = item.indent > base ? std::min<size_t>((item.indent - base + 1) / 2, 4) : 0;
    if (!out.empty()) out += '\n';
    out += std::string(depth * 2, ' ');
    out += item.line;
  }
  return out;
}

std::optional<VlmBlock> finish_block(Label label, std::string_view markdown,
                                     std::vector<std::string>& warnings) {
  VlmBlock block;
  block.label = label;
  switch (label) {
    case Label::kImage:
      return block;  // what a model writes under an image is not the page's text
    case Label::kTitle:
    case Label::kSubTitle:
      block = heading_block(label, markdown_math(markdown));
      break;
    case Label::kEquation:
      block.text = equation_tex(colon_macros(std::string(markdown)));
      break;
    case Label::kCode:
      block.text = code_text(markdown);
      break;
    case Label::kTable:
      block.text = tidy(markdown_math(tables_in(markdown, warnings)), true);
      break;
    case Label::kList:
      if (auto list = list_markdown(markdown_math(markdown), true)) {
        block.text = std::move(*list);
      } else {
        block.text = tidy(markdown_math(markdown), true);
      }
      break;
    case Label::kText: {
      const std::string text = tidy(markdown_math(markdown), false);
      if (text.find('\n') == std::string::npos) {
        if (auto marks = heading_marks(text, true)) {
          block.label = Label::kSubTitle;
          block.heading_level = marks->first;
          block.text = std::string(marks->second);
          break;
        }
      }
      if (auto list = list_markdown(text, false)) {
        block.label = Label::kList;
        block.text = std::move(*list);
        break;
      }
      block.text = tidy(text, true);
      if (block.text.find("<table") != std::string::npos ||
          block.text.find("<TABLE") != std::string::npos) {
        const std::string converted = tables_in(block.text, warnings);
        // A "text" block that holds only a table is a table.
        if (converted.starts_with('|') || converted.starts_with("<table>"))
          block.label = Label::kTable;
        block.text = converted;
      }
      break;
    }
    default:
      block.text = tidy(markdown_math(markdown), true);
      break;
  }
  if (block.text.empty()) return std::nullopt;
  return block;
}

std::string_view trim_answer(std::string_view s) {
  while (!s.empty() && (is_blank(s.front()) || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (is_blank(s.back()) || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= s.size()) {
    const size_t nl = s.find('\n', start);
    if (nl == std::string_view::npos) {
      lines.push_back(s.substr(start));
      break;
    }
    lines.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

}  // namespace docmill
