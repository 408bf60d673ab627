#include "layout/contents_entries.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "layout/text_patterns.h"

namespace docmill {
namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // …
constexpr std::string_view kMiddleDot = "\xC2\xB7";     // ·

bool is_page_reference(std::string_view t) {
  if (t.empty() || t.size() > 6) return false;
  if (std::ranges::all_of(t, [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    return true;
  return std::ranges::all_of(
      t, [](char c) { return c == 'i' || c == 'v' || c == 'x' || c == 'l' || c == 'c'; });
}

}  // namespace

std::optional<std::string> collapse_leader(std::string_view entry) {
  while (!entry.empty() && entry.back() == ' ') entry.remove_suffix(1);
  // The page: the digits (or roman numerals) the entry ends with, leader or space before them.
  size_t start = entry.size();
  while (start > 0 && is_page_reference(entry.substr(start - 1, 1))) --start;
  const std::string_view page = entry.substr(start);
  if (!is_page_reference(page)) return std::nullopt;
  // Walk back over the leader: dots, ellipses, middle dots and the spaces between them.
  size_t end = start;
  int dots = 0;
  while (end > 0) {
    const std::string_view head = entry.substr(0, end);
    if (head.back() == ' ') {
      --end;
    } else if (head.back() == '.') {
      --end;
      ++dots;
    } else if (head.ends_with(kEllipsis)) {
      end -= kEllipsis.size();
      dots += 3;
    } else if (head.ends_with(kMiddleDot)) {
      end -= kMiddleDot.size();
      ++dots;
    } else {
      break;
    }
  }
  if (dots < 2) {
    // OCR reads a leader as dots with specks among them ("documentation.........0... sence 2"):
    // a run of four dots not far before the page starts it.
    const auto run = entry.substr(0, start).find("....");
    if (run == std::string_view::npos || start - run > 40) return std::nullopt;
    end = run;
    while (end > 0 && entry[end - 1] == ' ') --end;
  }
  if (end == 0) return std::nullopt;
  return std::string(entry.substr(0, end)) + " " + std::string(kEllipsis) + " " + std::string(page);
}

std::optional<std::string> contents_markdown(std::span<const TextLine> lines,
                                             std::span<const int> idx) {
  // Pieces on one baseline form a row; rows keep the order of their first piece.
  struct Row {
    Box box;
    std::vector<int> pieces;
  };
  std::vector<Row> rows;
  for (int i : idx) {
    const Box& b = lines[i].box;
    Row* home = nullptr;
    for (size_t r = rows.size(); r-- > 0 && rows.size() - r <= 3;) {
      const Box& rb = rows[r].box;
      const float overlap = std::min(rb.y1, b.y1) - std::max(rb.y0, b.y0);
      if (overlap > 0.5f * std::min(rb.height(), b.height())) {
        home = &rows[r];
        break;
      }
    }
    if (home == nullptr) {
      rows.push_back({b, {i}});
    } else {
      home->box = home->box.united(b);
      home->pieces.push_back(i);
    }
  }
  std::vector<std::string> entries;
  std::string pending;  // the first line of an entry that wraps
  size_t with_leader = 0;
  for (auto& row : rows) {
    std::ranges::sort(row.pieces, {}, [&](int i) { return lines[i].box.x0; });
    std::string text = pending;
    for (int i : row.pieces) {
      if (!text.empty()) text += ' ';
      text += lines[i].text;
    }
    if (auto entry = collapse_leader(text)) {
      entries.push_back(std::move(*entry));
      ++with_leader;
      pending.clear();
    } else {
      pending = std::move(text);
    }
  }
  if (!pending.empty()) entries.push_back(std::move(pending));
  if (with_leader == 0 || 2 * with_leader < entries.size()) return std::nullopt;
  std::string out;
  for (const auto& e : entries) {
    if (!out.empty()) out += '\n';
    out += "- " + e;
  }
  return out;
}

}  // namespace docmill
