#include "layout/section_numbers.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>

namespace docmill {

bool is_bare_section_number(std::string_view t) {
  if (t.ends_with('.')) t.remove_suffix(1);
  if (t.empty() || t.size() > 8) return false;
  const auto digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
  size_t i = 0;
  if (t[0] >= 'A' && t[0] <= 'Z' && t.size() >= 3 && t[1] == '.') {
    i = 2;  // an appendix: "A.1"
  } else if (std::ranges::all_of(t, [](char c) { return c == 'I' || c == 'V' || c == 'X'; })) {
    return true;  // "IV"
  }
  bool expect_digit = true;
  for (; i < t.size(); ++i) {
    if (digit(t[i])) {
      expect_digit = false;
    } else if (t[i] == '.' && !expect_digit) {
      expect_digit = true;
    } else {
      return false;
    }
  }
  return !expect_digit;
}

namespace {

bool starts_like_a_title(std::string_view t) {
  if (t.empty()) return false;
  const unsigned char c = static_cast<unsigned char>(t[0]);
  return std::isupper(c) || c >= 0x80;
}

// The line a section number belongs to: right beside it on its baseline, about its size.
int title_of(const std::vector<TextLine>& lines, const std::vector<size_t>& by_top, size_t number) {
  const TextLine& n = lines[number];
  const float h = n.box.height();
  int best = -1;
  float best_gap = 2.f * std::max(n.size, 1.f);
  // Lines sorted by their top: only those starting within a line height above this one's top
  // can share its baseline.
  auto it =
      std::ranges::lower_bound(by_top, n.box.y0 - h, {}, [&](size_t i) { return lines[i].box.y0; });
  for (; it != by_top.end() && lines[*it].box.y0 < n.box.y1; ++it) {
    const TextLine& t = lines[*it];
    if (*it == number || is_bare_section_number(t.text) || !starts_like_a_title(t.text)) continue;
    const float overlap = std::min(n.box.y1, t.box.y1) - std::max(n.box.y0, t.box.y0);
    if (overlap < 0.6f * std::min(h, t.box.height())) continue;
    if (std::abs(t.size - n.size) > 0.15f * std::max(t.size, n.size)) continue;
    const float gap = t.box.x0 - n.box.x1;
    if (gap < -1 || gap >= best_gap) continue;
    best_gap = gap;
    best = static_cast<int>(*it);
  }
  return best;
}

}  // namespace

std::vector<TextLine> join_section_numbers(std::vector<TextLine> lines) {
  std::vector<size_t> by_top(lines.size());
  std::iota(by_top.begin(), by_top.end(), 0);
  std::ranges::sort(by_top, {}, [&](size_t i) { return lines[i].box.y0; });
  std::vector<int> joined_into(lines.size(), -1);  // the title a number goes to
  std::vector<bool> taken(lines.size(), false);
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!is_bare_section_number(lines[i].text)) continue;
    const int title = title_of(lines, by_top, i);
    if (title < 0 || taken[title]) continue;
    taken[title] = true;
    joined_into[i] = title;
  }
  std::vector<int> number_of(lines.size(), -1);
  for (size_t i = 0; i < lines.size(); ++i) {
    if (joined_into[i] >= 0) number_of[joined_into[i]] = static_cast<int>(i);
  }
  std::vector<TextLine> out;
  out.reserve(lines.size());
  std::vector<bool> done(lines.size(), false);
  for (size_t i = 0; i < lines.size(); ++i) {
    if (done[i]) continue;
    const int number = joined_into[i] >= 0 ? static_cast<int>(i) : number_of[i];
    if (number < 0) {
      out.push_back(std::move(lines[i]));
      continue;
    }
    const int title = joined_into[number];
    done[number] = done[title] = true;
    TextLine joined = std::move(lines[title]);
    TextLine& n = lines[number];
    joined.text = n.text + ' ' + joined.text;
    joined.box = joined.box.united(n.box);
    joined.words.insert(joined.words.begin(), n.words.begin(), n.words.end());
    joined.word_boxes.insert(joined.word_boxes.begin(), n.word_boxes.begin(), n.word_boxes.end());
    joined.bold = joined.bold || n.bold;
    out.push_back(std::move(joined));
  }
  return out;
}

}  // namespace docmill
