#include "layout/running_furniture.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <vector>

#include "layout/page_furniture.h"
#include "layout/text_patterns.h"

namespace docmill {
namespace {

// How far apart, as a share of the page height, the same running line may sit on two pages.
constexpr float kSameHeight = 0.015f;
// A running line is a line or two, not a paragraph.
constexpr float kMaxRowHeight = 0.04f;
constexpr size_t kMaxRowText = 200;

bool is_furniture(Label l) {
  return l == Label::kHeader || l == Label::kFooter || l == Label::kPageNumber;
}

bool is_roman_token(std::string_view t) {
  return !t.empty() && t.size() <= 6 && std::ranges::all_of(t, [](char c) {
    return c == 'i' || c == 'v' || c == 'x' || c == 'l' || c == 'c';
  });
}

struct RowKey {
  int page = 0;
  bool top = true;
  float center = 0;  // share of the page height
  std::vector<size_t> blocks;
};

// Rows of the blocks that sit wholly inside one edge band, at most three from the edge.
std::vector<std::vector<size_t>> edge_rows(const PageResult& page, bool top) {
  std::vector<size_t> in_band;
  for (size_t i = 0; i < page.blocks.size(); ++i) {
    const Block& b = page.blocks[i];
    // Headings stay out: "Chapter 2" atop one page and "Chapter 3" atop another are content.
    if (b.label == Label::kImage || b.label == Label::kTable || b.label == Label::kTitle ||
        b.label == Label::kSubTitle || b.text.empty()) {
      continue;
    }
    if (b.box.height() > kMaxRowHeight * page.height) continue;
    const bool inside = top ? b.box.y1 <= kFurnitureBand * page.height
                            : b.box.y0 >= (1 - kFurnitureBand) * page.height;
    if (inside) in_band.push_back(i);
  }
  std::ranges::sort(in_band, {},
                    [&](size_t i) { return top ? page.blocks[i].box.y0 : -page.blocks[i].box.y1; });
  std::vector<std::vector<size_t>> rows;
  std::vector<Box> boxes;
  for (size_t i : in_band) {
    const Box& b = page.blocks[i].box;
    bool placed = false;
    for (size_t r = 0; r < rows.size() && !placed; ++r) {
      const float overlap = std::min(boxes[r].y1, b.y1) - std::max(boxes[r].y0, b.y0);
      if (overlap > 0.5f * std::min(boxes[r].height(), b.height())) {
        rows[r].push_back(i);
        boxes[r] = boxes[r].united(b);
        placed = true;
      }
    }
    if (!placed && rows.size() < 3) {
      rows.push_back({i});
      boxes.push_back(b);
    }
  }
  return rows;
}

}  // namespace

std::string running_key(std::string_view text) {
  std::string key;
  size_t letters = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(start, end - start);
    start = end + 1;
    if (word.empty() || is_roman_token(word)) continue;
    std::string masked;
    bool only_digits = true;
    for (char c : word) {
      const bool digit = std::isdigit(static_cast<unsigned char>(c)) != 0;
      only_digits = only_digits && (digit || c == '.' || c == '/' || c == '-');
      letters += std::isalpha(static_cast<unsigned char>(c)) != 0 || (c & 0x80) != 0;
      masked += digit ? '#' : c;
    }
    if (only_digits) continue;  // the page number, wherever it stands
    if (!key.empty()) key += ' ';
    key += masked;
  }
  return letters >= 3 ? key : std::string();
}

void label_running_furniture(std::span<PageResult> pages) {
  std::map<std::string, std::vector<RowKey>> seen;
  for (size_t p = 0; p < pages.size(); ++p) {
    const PageResult& page = pages[p];
    if (page.error || page.height <= 0) continue;
    for (bool top : {true, false}) {
      for (auto& row : edge_rows(page, top)) {
        std::ranges::sort(row, {}, [&](size_t i) { return page.blocks[i].box.x0; });
        std::string text;
        Box box;
        for (size_t i : row) {
          if (!text.empty()) text += ' ';
          text += page.blocks[i].text;
          box = box.united(page.blocks[i].box);
        }
        if (text.size() > kMaxRowText) continue;
        const std::string masked = running_key(text);
        if (masked.empty()) continue;
        std::string key(1, top ? '^' : '$');
        key += masked;
        seen[key].push_back({static_cast<int>(p), top, box.cy() / page.height, std::move(row)});
      }
    }
  }
  for (const auto& [key, rows] : seen) {
    if (rows.size() < 2) continue;
    for (const auto& row : rows) {
      const bool repeats = std::ranges::any_of(rows, [&](const RowKey& other) {
        return other.page != row.page && std::abs(other.center - row.center) <= kSameHeight;
      });
      if (!repeats) continue;
      for (size_t i : row.blocks) {
        Block& b = pages[row.page].blocks[i];
        if (is_furniture(b.label)) continue;
        b.label = is_page_number(b.text) ? Label::kPageNumber
                  : row.top              ? Label::kHeader
                                         : Label::kFooter;
        b.heading_level = 0;
      }
    }
  }
}

}  // namespace docmill
