#include "layout/math_text.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "layout/equation_detector.h"

namespace docmill {
namespace {

struct TexName {
  std::string_view glyph;
  std::string_view tex;
};

// The symbols a text layer gives for math, and their TeX commands.
constexpr std::array<TexName, 78> kTex = {{
    {"α", "\\alpha"},
    {"β", "\\beta"},
    {"γ", "\\gamma"},
    {"δ", "\\delta"},
    {"ε", "\\varepsilon"},
    {"ϵ", "\\epsilon"},
    {"ζ", "\\zeta"},
    {"η", "\\eta"},
    {"θ", "\\theta"},
    {"ϑ", "\\vartheta"},
    {"ι", "\\iota"},
    {"κ", "\\kappa"},
    {"λ", "\\lambda"},
    {"μ", "\\mu"},
    {"µ", "\\mu"},
    {"ν", "\\nu"},
    {"ξ", "\\xi"},
    {"π", "\\pi"},
    {"ϖ", "\\varpi"},
    {"ρ", "\\rho"},
    {"ϱ", "\\varrho"},
    {"σ", "\\sigma"},
    {"ς", "\\varsigma"},
    {"τ", "\\tau"},
    {"υ", "\\upsilon"},
    {"φ", "\\varphi"},
    {"ϕ", "\\phi"},
    {"χ", "\\chi"},
    {"ψ", "\\psi"},
    {"ω", "\\omega"},
    {"Γ", "\\Gamma"},
    {"Δ", "\\Delta"},
    {"Θ", "\\Theta"},
    {"Λ", "\\Lambda"},
    {"Ξ", "\\Xi"},
    {"Π", "\\Pi"},
    {"Σ", "\\Sigma"},
    {"Υ", "\\Upsilon"},
    {"Φ", "\\Phi"},
    {"Ψ", "\\Psi"},
    {"Ω", "\\Omega"},
    {"≤", "\\leq"},
    {"≥", "\\geq"},
    {"≠", "\\neq"},
    {"≈", "\\approx"},
    {"≡", "\\equiv"},
    {"∼", "\\sim"},
    {"≪", "\\ll"},
    {"≫", "\\gg"},
    {"∝", "\\propto"},
    {"∑", "\\sum"},
    {"∏", "\\prod"},
    {"∫", "\\int"},
    {"∮", "\\oint"},
    {"∞", "\\infty"},
    {"∂", "\\partial"},
    {"∇", "\\nabla"},
    {"±", "\\pm"},
    {"∓", "\\mp"},
    {"×", "\\times"},
    {"·", "\\cdot"},
    {"⋅", "\\cdot"},
    {"÷", "\\div"},
    {"→", "\\to"},
    {"←", "\\leftarrow"},
    {"⇒", "\\Rightarrow"},
    {"⇔", "\\Leftrightarrow"},
    {"∈", "\\in"},
    {"∉", "\\notin"},
    {"⊂", "\\subset"},
    {"∪", "\\cup"},
    {"∩", "\\cap"},
    {"∀", "\\forall"},
    {"∃", "\\exists"},
    {"ℏ", "\\hbar"},
    {"ℓ", "\\ell"},
    {"†", "\\dagger"},
    {"√", "\\sqrt"},
}};

bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The word boxes' median height: the size of the formula's main line.
float main_height(const TextLine& l) {
  std::vector<float> h;
  for (const auto& b : l.word_boxes) h.push_back(b.height());
  if (h.empty()) return l.box.height();
  std::ranges::nth_element(h, h.begin() + static_cast<long>(h.size() / 2));
  return h[h.size() / 2];
}

// One line of the formula as TeX, with words set smaller and off the main line's centre as
// sub- or superscripts of the word before them.
std::string line_tex(const TextLine& l) {
  if (l.word_boxes.size() != l.words.size()) return tex_symbols(l.text);
  const float h = main_height(l);
  float centre = 0;
  int n = 0;
  for (const auto& b : l.word_boxes) {
    if (b.height() >= 0.8f * h) {
      centre += b.cy();
      ++n;
    }
  }
  centre = n > 0 ? centre / static_cast<float>(n) : l.box.cy();
  std::string out;
  for (size_t i = 0; i < l.words.size(); ++i) {
    const Box& b = l.word_boxes[i];
    const std::string word = tex_symbols(l.words[i]);
    // Scripts are letters and digits; an operator's glyph box is just often smaller.
    const auto first = static_cast<unsigned char>(l.words[i].front());
    const bool script_like = std::isalnum(first) != 0 || first == 0xCE || first == 0xCF;
    const bool small = i > 0 && script_like && b.height() < 0.8f * h;
    if (small && b.cy() > centre + 0.15f * h) {
      out += "_{" + word + "}";
    } else if (small && b.cy() < centre - 0.15f * h) {
      out += "^{" + word + "}";
    } else {
      if (!out.empty()) out += ' ';
      out += word;
    }
  }
  return out;
}

}  // namespace

std::string tex_symbols(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    const std::string_view ch = text.substr(i, len);
    i += len;
    if (len == 1) {
      if (std::string_view("#$%&_{}").find(ch[0]) != std::string_view::npos) {
        out += '\\';
        out += ch;
      } else if (ch[0] == '\\') {
        out += "\\backslash ";
      } else {
        out += ch;
      }
      continue;
    }
    if (ch == "−") {
      out += '-';
      continue;
    }
    if (ch == "′") {
      out += '\'';
      continue;
    }
    const auto it = std::ranges::find(kTex, ch, &TexName::glyph);
    if (it == kTex.end()) {
      out += ch;
      continue;
    }
    out += it->tex;
    // "\alpha x" and "\alphax" differ: a letter after a command needs a space.
    if (i < text.size() && is_ascii_letter(text[i])) out += ' ';
  }
  return out;
}

std::string equation_tex(std::span<const TextLine> lines, const std::vector<int>& idx) {
  std::vector<const TextLine*> pieces;
  std::string tag;
  for (int i : idx) {
    const TextLine& l = lines[static_cast<size_t>(i)];
    if (is_equation_number(l.text)) {
      // Rows numbered one by one (an eqnarray) share one tag.
      tag += (tag.empty() ? "" : ", ") + l.text.substr(1, l.text.size() - 2);
    } else {
      pieces.push_back(&l);
    }
  }
  // Rows: pieces of full height that share most of it (a fraction's numerator sits half on
  // the main line); smaller pieces (limits, indices) join the row they touch or are nearest.
  // Rows top to bottom, pieces in a row left to right.
  float tallest = 0;
  for (const TextLine* p : pieces) tallest = std::max(tallest, p->box.height());
  const auto full = [&](const TextLine* p) { return p->box.height() >= 0.7f * tallest; };
  std::ranges::sort(pieces, {}, [](const TextLine* l) { return l->box.y0; });
  std::vector<std::vector<const TextLine*>> rows;
  std::vector<Box> row_boxes;
  for (const TextLine* p : pieces) {
    if (!full(p)) continue;
    const float overlap = rows.empty() ? 0.f
                                       : std::min(row_boxes.back().y1, p->box.y1) -
                                             std::max(row_boxes.back().y0, p->box.y0);
    if (rows.empty() || overlap < 0.25f * std::min(row_boxes.back().height(), p->box.height())) {
      rows.emplace_back();
      row_boxes.push_back(p->box);
    } else {
      row_boxes.back() = row_boxes.back().united(p->box);
    }
    rows.back().push_back(p);
  }
  for (const TextLine* p : pieces) {
    if (full(p)) continue;
    size_t best = 0;
    float best_d = 0;
    for (size_t r = 0; r < row_boxes.size(); ++r) {
      const float d = std::max(row_boxes[r].y0 - p->box.y1, p->box.y0 - row_boxes[r].y1);
      if (r == 0 || d < best_d) {
        best = r;
        best_d = d;
      }
    }
    if (rows.empty()) rows.emplace_back();
    rows[best].push_back(p);
  }
  std::string out;
  for (auto& row : rows) {
    std::ranges::sort(row, {}, [](const TextLine* l) { return l->box.x0; });
    if (!out.empty()) out += " \\\\\n";
    std::string row_text;
    for (const TextLine* p : row) {
      if (!row_text.empty()) row_text += ' ';
      row_text += line_tex(*p);
    }
    out += row_text;
  }
  if (!tag.empty()) out += " \\tag{" + tag + "}";
  return out;
}

}  // namespace docmill
