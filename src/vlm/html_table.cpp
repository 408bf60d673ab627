#include "vlm/html_table.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <utility>
#include <vector>

namespace docmill {
namespace {

// <sup>/<sub> survive in cell text (markdown readers show inline HTML, and x<sup>2</sup> read as
// "x2" would change a value). Inside a cell they are held as these control bytes, which cell
// text never contains (other control bytes become spaces), so that escaping the text for HTML
// cannot touch them.
constexpr std::array<std::pair<char, std::string_view>, 4> kKeptTags{{
    {'\x01', "<sup>"},
    {'\x02', "</sup>"},
    {'\x03', "<sub>"},
    {'\x04', "</sub>"},
}};

struct Cell {
  std::string text;  // raw: entities not yet decoded, whitespace not yet collapsed
  bool header = false;
  int colspan = 1;
  int rowspan = 1;
};
using Row = std::vector<Cell>;

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x20 || cp == 0x7F || cp == 0xA0) {  // control characters and nbsp: plain space
    out += ' ';
    return;
  }
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The named entities tables in scanned documents use; others stay as written.
constexpr std::array<std::pair<std::string_view, std::uint32_t>, 21> kEntities{{
    {"amp", '&'},       {"lt", '<'},     {"gt", '>'},       {"quot", '"'},     {"apos", '\''},
    {"nbsp", 0xA0},     {"times", 0xD7}, {"divide", 0xF7},  {"plusmn", 0xB1},  {"minus", 0x2212},
    {"deg", 0xB0},      {"micro", 0xB5}, {"ndash", 0x2013}, {"mdash", 0x2014}, {"hellip", 0x2026},
    {"le", 0x2264},     {"ge", 0x2265},  {"middot", 0xB7},  {"copy", 0xA9},    {"reg", 0xAE},
    {"permil", 0x2030},
}};

// `&name;`, `&#123;` or `&#x1F;` at s[i] (which is '&'): the code point and the length, or 0.
size_t entity_at(std::string_view s, size_t i, std::uint32_t& cp) {
  // Entities are short: looking further would make "&&&&…" cost the square of its length.
  const size_t semi = s.substr(0, i + 13).find(';', i + 1);
  if (semi == std::string_view::npos) return 0;
  const std::string_view body = s.substr(i + 1, semi - i - 1);
  if (body.size() >= 2 && body[0] == '#') {
    const bool hex = body[1] == 'x' || body[1] == 'X';
    const std::string_view digits = body.substr(hex ? 2 : 1);
    if (digits.empty() || digits.size() > 7) return 0;
    const auto [end, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
    if (ec != std::errc{} || end != digits.data() + digits.size()) return 0;
    return semi - i + 1;
  }
  for (const auto& [name, value] : kEntities) {
    if (name == body) {
      cp = value;
      return semi - i + 1;
    }
  }
  return 0;
}

// Entities decoded (control characters they name become spaces), runs of whitespace folded into
// single spaces, trimmed. The raw text holds no control bytes but the kept-tag markers.
std::string clean_cell_text(std::string_view raw) {
  std::string decoded;
  decoded.reserve(raw.size());
  for (size_t i = 0; i < raw.size();) {
    std::uint32_t cp = 0;
    if (raw[i] == '&') {
      if (const size_t len = entity_at(raw, i, cp); len > 0) {
        append_utf8(decoded, cp);
        i += len;
        continue;
      }
    }
    decoded += raw[i] == '\x7F' ? ' ' : raw[i];
    ++i;
  }
  std::string out;
  out.reserve(decoded.size());
  for (char c : decoded) {
    if (is_space(c)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// colspan="2", rowspan='3', colspan=2: the value, 1 when absent or not a number.
int span_attribute(std::string_view attrs_lower, std::string_view name) {
  size_t at = 0;
  while ((at = attrs_lower.find(name, at)) != std::string_view::npos) {
    size_t i = at + name.size();
    at = i;
    while (i < attrs_lower.size() && is_space(attrs_lower[i])) ++i;
    if (i >= attrs_lower.size() || attrs_lower[i] != '=') continue;
    ++i;
    while (i < attrs_lower.size() &&
           (is_space(attrs_lower[i]) || attrs_lower[i] == '"' || attrs_lower[i] == '\''))
      ++i;
    size_t end = i;
    while (end < attrs_lower.size() && attrs_lower[end] >= '0' && attrs_lower[end] <= '9' &&
           end - i < 6)
      ++end;
    int value = 1;
    const auto [p, ec] = std::from_chars(attrs_lower.data() + i, attrs_lower.data() + end, value);
    (void)p;
    if (ec != std::errc{}) return 1;
    // A span past any real table is a model glitch; bounded so the HTML stays sane.
    return std::clamp(value, 1, 1000);
  }
  return 1;
}

class TableReader {
 public:
  std::vector<Row> read(std::string_view html) {
    for (size_t i = 0; i < html.size();) {
      if (html[i] == '<' && i + 1 < html.size() && is_tag_start(html[i + 1])) {
        const size_t gt = html.find('>', i + 1);
        if (gt == std::string_view::npos) break;  // cut inside a tag: keep what came before
        if (!on_tag(html.substr(i + 1, gt - i - 1))) break;
        i = gt + 1;
      } else {
        // Control bytes are no text (and the kept-tag markers must stay unambiguous).
        const char c = static_cast<unsigned char>(html[i]) < 0x20 ? ' ' : html[i];
        if (cell_open_) rows_.back().back().text += c;
        ++i;
      }
    }
    std::erase_if(rows_, [](const Row& r) { return r.empty(); });
    for (Row& row : rows_) {
      for (Cell& cell : row) cell.text = clean_cell_text(cell.text);
    }
    return std::move(rows_);
  }

 private:
  static bool is_tag_start(char c) {
    return c == '/' || c == '!' || (lower(c) >= 'a' && lower(c) <= 'z');
  }

  // False at </table>: the table is over.
  bool on_tag(std::string_view tag) {
    const bool closing = !tag.empty() && tag.front() == '/';
    if (closing) tag.remove_prefix(1);
    size_t name_end = 0;
    while (name_end < tag.size() && !is_space(tag[name_end]) && tag[name_end] != '/') ++name_end;
    const std::string name = lowered(tag.substr(0, name_end));
    if (name == "table") return !closing;
    if (name == "tr") {
      cell_open_ = false;
      row_open_ = false;
      if (!closing) open_row();
    } else if (name == "td" || name == "th") {
      cell_open_ = false;
      if (!closing) open_cell(name == "th", lowered(tag.substr(name_end)));
    } else if (name == "sup" || name == "sub") {
      if (cell_open_) {
        const char marker =
            name == "sup" ? (closing ? '\x02' : '\x01') : (closing ? '\x04' : '\x03');
        rows_.back().back().text += marker;
      }
    } else if (cell_open_) {
      // <br>, <p>, <div> and the like separate words; inline tags (<b>, <span>) do not.
      static constexpr std::array<std::string_view, 5> kBreaking = {"br", "p", "div", "li", "hr"};
      if (std::ranges::find(kBreaking, name) != kBreaking.end()) rows_.back().back().text += ' ';
    }
    return true;
  }

  void open_row() {
    rows_.emplace_back();
    row_open_ = true;
  }

  void open_cell(bool header, std::string_view attrs_lower) {
    if (!row_open_) open_row();  // a cell with no <tr> before it starts one
    Cell cell;
    cell.header = header;
    cell.colspan = span_attribute(attrs_lower, "colspan");
    cell.rowspan = span_attribute(attrs_lower, "rowspan");
    rows_.back().push_back(std::move(cell));
    cell_open_ = true;
  }

  std::vector<Row> rows_;
  bool row_open_ = false;
  bool cell_open_ = false;
};

std::string with_kept_tags(std::string_view text, bool escape_html) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto kept = std::ranges::find(kKeptTags, c, &std::pair<char, std::string_view>::first);
    if (kept != kKeptTags.end()) {
      out += kept->second;
    } else if (escape_html && c == '&') {
      out += "&amp;";
    } else if (escape_html && c == '<') {
      out += "&lt;";
    } else if (escape_html && c == '>') {
      out += "&gt;";
    } else if (!escape_html && c == '|') {
      out += "\\|";
    } else {
      out += c;
    }
  }
  return out;
}

std::string pipe_table(const std::vector<Row>& rows) {
  size_t columns = 0;
  for (const Row& row : rows) columns = std::max(columns, row.size());
  std::string md;
  for (size_t r = 0; r < rows.size(); ++r) {
    md += '|';
    for (size_t k = 0; k < columns; ++k) {
      md += ' ';
      if (k < rows[r].size()) md += with_kept_tags(rows[r][k].text, false);
      md += " |";
    }
    md += '\n';
    if (r == 0) {
      md += '|';
      for (size_t k = 0; k < columns; ++k) md += " --- |";
      md += '\n';
    }
  }
  md.pop_back();
  return md;
}

std::string html_table(const std::vector<Row>& rows) {
  std::string out = "<table>";
  for (const Row& row : rows) {
    out += "<tr>";
    for (const Cell& cell : row) {
      const std::string_view name = cell.header ? "th" : "td";
      out += '<';
      out += name;
      if (cell.colspan > 1) out += " colspan=\"" + std::to_string(cell.colspan) + '"';
      if (cell.rowspan > 1) out += " rowspan=\"" + std::to_string(cell.rowspan) + '"';
      out += '>';
      out += with_kept_tags(cell.text, true);
      out += "</";
      out += name;
      out += '>';
    }
    out += "</tr>";
  }
  out += "</table>";
  return out;
}

}  // namespace

std::string table_markdown(std::string_view html) {
  const std::string lower_html = lowered(html);
  const size_t start = lower_html.find("<table");
  if (start != std::string::npos) html.remove_prefix(start);
  const std::vector<Row> rows = TableReader().read(html);
  if (rows.empty()) return {};
  const bool spans = std::ranges::any_of(rows, [](const Row& row) {
    return std::ranges::any_of(row, [](const Cell& c) { return c.colspan > 1 || c.rowspan > 1; });
  });
  return spans ? html_table(rows) : pipe_table(rows);
}

}  // namespace docmill
