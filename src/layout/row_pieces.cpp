#include "layout/row_pieces.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>

#include "layout/text_patterns.h"

namespace docmill {
namespace {

float size_of(const TextLine& l) {
  return l.size > 0 ? l.size : l.box.height();
}

size_t words_in(std::string_view t) {
  size_t n = 0;
  bool in_word = false;
  for (char c : t) {
    const bool space = c == ' ';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

bool has_letter(std::string_view t) {
  return std::ranges::any_of(t, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           static_cast<unsigned char>(c) >= 0x80;
  });
}

// For each line, the nearest line to its right on the same row with nothing between them.
std::vector<std::optional<size_t>> right_neighbours(const std::vector<TextLine>& lines) {
  std::vector<size_t> by_y(lines.size());
  std::iota(by_y.begin(), by_y.end(), 0);
  std::ranges::sort(by_y, {}, [&](size_t i) { return lines[i].box.cy(); });
  std::vector<std::optional<size_t>> right(lines.size());
  for (size_t k = 0; k < by_y.size(); ++k) {
    const TextLine& a = lines[by_y[k]];
    const float reach = 2 * a.box.height() + 1;
    float best_gap = 0;
    const auto consider = [&](size_t m) {
      const TextLine& b = lines[by_y[m]];
      if (b.box.x0 < a.box.x1 - 1 || !on_one_row(a.box, b.box)) return;
      const float gap = b.box.x0 - a.box.x1;
      if (!right[by_y[k]] || gap < best_gap) {
        right[by_y[k]] = by_y[m];
        best_gap = gap;
      }
    };
    // Lines of the same row have centres within a line height: a window of the sorted order.
    for (size_t m = k; m-- > 0 && a.box.cy() - lines[by_y[m]].box.cy() < reach;) consider(m);
    for (size_t m = k + 1; m < by_y.size() && lines[by_y[m]].box.cy() - a.box.cy() < reach; ++m) {
      consider(m);
    }
  }
  return right;
}

void absorb(TextLine& into, TextLine&& from, std::string_view separator) {
  into.box = into.box.united(from.box);
  into.text += separator;
  into.text += from.text;
  into.words.insert(into.words.end(), from.words.begin(), from.words.end());
  into.word_boxes.insert(into.word_boxes.end(), from.word_boxes.begin(), from.word_boxes.end());
}

// Rows of a description list: pairs (term, description) that share the term column's and the
// description column's left edges, with ragged short terms well clear of the descriptions. Two
// columns of running text also pair up on their baselines, but their left lines run to the
// gutter.
std::vector<std::pair<size_t, size_t>> description_rows(
    const std::vector<TextLine>& lines, const std::vector<std::optional<size_t>>& right) {
  std::map<std::pair<long, long>, std::vector<std::pair<size_t, size_t>>> by_columns;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!right[i]) continue;
    const TextLine& term = lines[i];
    const TextLine& desc = lines[*right[i]];
    const float size = std::max(size_of(term), size_of(desc));
    const float span = desc.box.x0 - term.box.x0;
    if (desc.box.x0 - term.box.x1 < 1.5f * size || words_in(term.text) > 6) continue;
    // A term is set about as large as its description; a larger line beside a column is a
    // heading, and what lies beside it belongs to the next column.
    if (size_of(term) > 1.2f * size_of(desc)) continue;
    if (term.box.x1 > term.box.x0 + 0.85f * span) continue;
    if (words_in(desc.text) < 2 || !has_letter(desc.text)) continue;
    // Numbers in a margin beside running text are line numbers, not terms.
    if (!has_letter(term.text) && is_page_number(term.text)) continue;
    // Columns within about 2 points: keys that round alike, or the neighbouring key.
    by_columns[{std::lround(term.box.x0 / 3), std::lround(desc.box.x0 / 3)}].emplace_back(
        i, *right[i]);
  }
  // The largest lists first: a line that is a description in one and a term in another
  // (three columns in a row) stays with the list that holds more rows.
  // The description column holds descriptions: most lines that start at its edge, between
  // the list's first and last rows, are paired. The edge of a column of running text beside a
  // narrow column has a few lines that pair up by chance.
  const auto owns_its_column = [&](const std::vector<std::pair<size_t, size_t>>& pairs) {
    float top = lines[pairs.front().second].box.y0, bottom = top;
    float edge = 0;
    for (const auto& [term, desc] : pairs) {
      top = std::min(top, lines[desc].box.y0);
      bottom = std::max(bottom, lines[desc].box.y1);
      edge += lines[desc].box.x0;
    }
    edge /= static_cast<float>(pairs.size());
    size_t at_edge = 0;
    for (const auto& l : lines) {
      at_edge += std::abs(l.box.x0 - edge) <= 2.f && l.box.y0 >= top - 1 && l.box.y1 <= bottom + 1;
    }
    return pairs.size() * 2 >= at_edge;
  };
  // Terms are short: a word or a few, in a column narrower than the descriptions'. The lines
  // of a column of running text beside another are not, even where they end short.
  const auto short_terms = [&](const std::vector<std::pair<size_t, size_t>>& pairs) {
    std::vector<size_t> words;
    std::vector<float> widths;
    for (const auto& [term, desc] : pairs) {
      words.push_back(words_in(lines[term].text));
      widths.push_back(lines[term].box.width() / (lines[desc].box.x0 - lines[term].box.x0));
    }
    const auto mid = static_cast<long>(pairs.size() / 2);
    std::ranges::nth_element(words, words.begin() + mid);
    std::ranges::nth_element(widths, widths.begin() + mid);
    return words[mid] <= 3 && widths[mid] <= 0.6f;
  };
  std::vector<const std::vector<std::pair<size_t, size_t>>*> lists;
  for (const auto& [cols, pairs] : by_columns) {
    if (pairs.size() >= 3 && short_terms(pairs) && owns_its_column(pairs)) {
      lists.push_back(&pairs);
    }
  }
  std::ranges::stable_sort(lists, std::greater{}, [](const auto* p) { return p->size(); });
  std::vector<bool> used(lines.size(), false);
  std::vector<std::pair<size_t, size_t>> rows;
  for (const auto* pairs : lists) {
    for (const auto& [term, desc] : *pairs) {
      if (used[term] || used[desc]) continue;
      used[term] = used[desc] = true;
      rows.emplace_back(term, desc);
    }
  }
  return rows;
}

}  // namespace

std::vector<TextLine> join_row_pieces(std::vector<TextLine> lines) {
  const auto right = right_neighbours(lines);
  std::vector<bool> gone(lines.size(), false);
  std::vector<std::optional<size_t>> join(lines.size());  // a term's description

  for (const auto& [term, desc] : description_rows(lines, right)) {
    join[term] = desc;
    gone[desc] = true;
  }
  std::vector<TextLine> out;
  out.reserve(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    if (gone[i]) continue;
    if (!join[i]) {
      out.push_back(std::move(lines[i]));
      continue;
    }
    TextLine joined = std::move(lines[i]);
    TextLine other = std::move(lines[*join[i]]);
    joined.text = "- " + joined.text;
    joined.size = other.size;
    joined.bold = joined.italic = joined.monospace = false;
    absorb(joined, std::move(other), " — ");
    out.push_back(std::move(joined));
  }
  return out;
}

}  // namespace docmill
