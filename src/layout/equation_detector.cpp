#include "layout/equation_detector.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>

#include "core/utf8.h"
#include "layout/text_patterns.h"

namespace docmill {
namespace {

// Beyond this many candidate lines a page is a table of numbers or a formula sheet; grouping
// them pairwise would cost too much, and display equations are never that many.
constexpr size_t kMaxCandidates = 300;

enum class Role { kNone, kSeed, kPiece, kNumber };

// A code point that only mathematics uses: Greek, operators, arrows, letterlike symbols
// (ℏ, ℓ), primes, math alphanumerics, and the ASCII relations.
bool is_math_code_point(char32_t c) {
  if (c < 0x80) return c == '=' || c == '<' || c == '>' || c == '^' || c == '+' || c == '|';
  return c == 0xB1 || c == 0xB7 || c == 0xD7 || c == 0xF7 || (c >= 0x370 && c <= 0x3FF) ||
         c == 0x2020 || (c >= 0x2032 && c <= 0x2034) || (c >= 0x2100 && c <= 0x214F) ||
         (c >= 0x2190 && c <= 0x22FF) || (c >= 0x27C0 && c <= 0x27EF) ||
         (c >= 0x2980 && c <= 0x2AFF) || (c >= 0x1D400 && c <= 0x1D7FF);
}

// Share of the non-space characters of `t` that are math symbols.
float math_char_share(std::string_view t) {
  int math = 0, total = 0;
  for (const char32_t cp : code_points(t)) {
    if (cp == ' ') continue;
    ++total;
    math += is_math_code_point(cp);
  }
  return total > 0 ? static_cast<float>(math) / static_cast<float>(total) : 0.f;
}

Role role_of(const TextLine& l) {
  if (l.words.empty() || l.figure_row) return Role::kNone;
  if (is_equation_number(l.text)) return Role::kNumber;
  // Bullets are set in symbol fonts too (CMSY's \bullet), but they make a list, not a formula.
  if (l.text.find("\u2022") != std::string::npos) return Role::kNone;
  const int prose = prose_word_count(l.text);
  const int words = static_cast<int>(l.words.size());
  if (prose > std::max(2, words / 4)) return Role::kNone;
  const float math = l.math_font_share + math_char_share(l.text);
  const bool relation = l.text.find('=') != std::string::npos;
  if (math >= 0.2f || (relation && math >= 0.08f)) return Role::kSeed;
  // A fraction's numerator or a limit: a few symbols, only part of a formula. Italic math
  // variables ("xbx") look like a prose word.
  if (prose <= 1 && (l.text.size() <= 16 || math >= 0.08f)) return Role::kPiece;
  return Role::kNone;
}

float vertical_gap(const Box& a, const Box& b) {
  return std::max(a.y0, b.y0) - std::min(a.y1, b.y1);
}

float horizontal_gap(const Box& a, const Box& b) {
  return std::max(a.x0, b.x0) - std::min(a.x1, b.x1);
}

// The nearest line above (below) the group that shares some of its width: the text the
// formula sits in, whose left and right edges are the column's.
const TextLine* neighbour(std::span<const TextLine> lines, const std::vector<char>& member,
                          const Box& group, bool above) {
  const TextLine* best = nullptr;
  float best_d = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (member[i] != 0) continue;
    const Box& b = lines[i].box;
    if (horizontal_gap(b, group) >= 0) continue;
    const float d = above ? group.y0 - b.cy() : b.cy() - group.y1;
    if (d < 0) continue;
    if (best == nullptr || d < best_d) {
      best = &lines[i];
      best_d = d;
    }
  }
  return best;
}

}  // namespace

bool is_equation_number(std::string_view t) {
  if (t.size() < 3 || t.size() > 8 || t.front() != '(' || t.back() != ')') return false;
  t = t.substr(1, t.size() - 2);
  size_t i = 0;
  if (i < t.size() && std::isupper(static_cast<unsigned char>(t[i]))) ++i;  // (A1)
  const size_t digits_from = i;
  while (i < t.size() && (std::isdigit(static_cast<unsigned char>(t[i])) || t[i] == '.')) ++i;
  if (i == digits_from || !std::isdigit(static_cast<unsigned char>(t[digits_from]))) return false;
  if (i < t.size() && std::islower(static_cast<unsigned char>(t[i]))) ++i;  // (3b)
  return i == t.size() && t.back() != '.';
}

std::vector<std::vector<int>> find_display_equations(std::span<const TextLine> lines,
                                                     float body_size) {
  const float em = body_size > 0 ? body_size : 10.f;
  std::vector<int> cand;
  std::vector<Role> roles(lines.size(), Role::kNone);
  for (size_t i = 0; i < lines.size(); ++i) {
    roles[i] = role_of(lines[i]);
    if (roles[i] != Role::kNone) cand.push_back(static_cast<int>(i));
  }
  if (cand.size() > kMaxCandidates) return {};

  std::vector<size_t> parent(cand.size());
  std::iota(parent.begin(), parent.end(), 0);
  const auto root = [&](size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  for (size_t a = 0; a < cand.size(); ++a) {
    const TextLine& la = lines[cand[a]];
    if (roles[cand[a]] == Role::kNumber) {
      // A number belongs to the formula on its left on the same baseline that reaches
      // furthest right.
      int best = -1;
      for (size_t b = 0; b < cand.size(); ++b) {
        const Box& bb = lines[cand[b]].box;
        // Wide formulas reach under the number's column: starting left of it is enough.
        if (b == a || roles[cand[b]] == Role::kNumber || bb.x0 >= la.box.x0) continue;
        if (vertical_gap(bb, la.box) > -0.3f * la.box.height()) continue;
        if (best < 0 || bb.x1 > lines[cand[best]].box.x1) best = static_cast<int>(b);
      }
      if (best >= 0) parent[root(a)] = root(static_cast<size_t>(best));
      continue;
    }
    for (size_t b = a + 1; b < cand.size(); ++b) {
      const TextLine& lb = lines[cand[b]];
      if (roles[cand[b]] == Role::kNumber) continue;
      if (vertical_gap(la.box, lb.box) < 0.6f * em && horizontal_gap(la.box, lb.box) < 2.5f * em) {
        parent[root(b)] = root(a);
      }
    }
  }

  std::vector<std::vector<int>> groups(cand.size());
  for (size_t a = 0; a < cand.size(); ++a) groups[root(a)].push_back(cand[a]);
  std::vector<char> member(lines.size(), 0);
  std::vector<std::vector<int>> out;
  for (auto& g : groups) {
    const bool seeded =
        std::ranges::any_of(g, [&](int i) { return roles[static_cast<size_t>(i)] == Role::kSeed; });
    if (!seeded || g.size() > 16) continue;
    bool numbered = false;
    Box formula;
    for (int i : g) {
      if (roles[static_cast<size_t>(i)] == Role::kNumber) {
        numbered = true;
      } else {
        formula = formula.united(lines[static_cast<size_t>(i)].box);
      }
    }
    for (int i : g) member[static_cast<size_t>(i)] = 1;
    const TextLine* up = neighbour(lines, member, formula, true);
    const TextLine* down = neighbour(lines, member, formula, false);
    for (int i : g) member[static_cast<size_t>(i)] = 0;
    // The column's edges, from the text around; without any, nothing says it is set apart.
    float left = formula.x0, right = formula.x1;
    for (const TextLine* n : {up, down}) {
      if (n == nullptr) continue;
      left = std::min(left, n->box.x0);
      right = std::max(right, n->box.x1);
    }
    // Text on the formula's own row, right beside it: the formula runs in a sentence.
    const bool in_a_sentence = std::ranges::any_of(lines, [&](const TextLine& l) {
      const float h = std::min(l.box.height(), formula.height());
      return vertical_gap(l.box, formula) < -0.5f * h &&
             horizontal_gap(l.box, formula) < 0.8f * em &&
             std::ranges::find(g, static_cast<int>(&l - lines.data())) == g.end();
    });
    if (in_a_sentence) continue;
    const bool indented = formula.x0 >= left + 1.5f * em;
    const bool short_of_right = formula.x1 <= right - 1.0f * em;
    if (!numbered && !(indented && short_of_right)) continue;
    std::ranges::sort(g);
    out.push_back(std::move(g));
  }
  return out;
}

void keep_equations_together(std::vector<OrderedItem>& order, std::span<const int> equation_of) {
  const auto group = [&](const OrderedItem& o) {
    return o.index >= 0 && static_cast<size_t>(o.index) < equation_of.size()
               ? equation_of[static_cast<size_t>(o.index)]
               : -1;
  };
  std::vector<OrderedItem> out;
  out.reserve(order.size());
  std::vector<char> placed(order.size(), 0);
  for (size_t i = 0; i < order.size(); ++i) {
    if (placed[i] != 0) continue;
    out.push_back(order[i]);
    const int g = group(order[i]);
    if (g < 0) continue;
    for (size_t j = i + 1; j < order.size(); ++j) {
      if (placed[j] == 0 && group(order[j]) == g) {
        out.push_back(order[j]);
        placed[j] = 1;
      }
    }
  }
  order = std::move(out);
}

}  // namespace docmill
