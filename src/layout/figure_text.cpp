#include "layout/figure_text.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "layout/text_patterns.h"

namespace docmill {
namespace {

// Running text: many words, most of them prose. Labels and legends are a few words.
bool reads_like_sentence(const TextLine& l) {
  const int words = static_cast<int>(l.words.size());
  return words >= 7 && 2 * prose_word_count(l.text) >= words;
}

Box grown(const Box& b, float d) {
  return {b.x0 - d, b.y0 - d, b.x1 + d, b.y1 + d};
}

}  // namespace

std::vector<int> figure_owned_lines(std::span<const TextLine> lines, std::span<const Box> figures,
                                    float body_size) {
  std::vector<int> owner(lines.size(), -1);
  if (figures.empty()) return owner;
  const float margin = 1.5f * (body_size > 0 ? body_size : 10.f);
  for (size_t i = 0; i < lines.size(); ++i) {
    const TextLine& l = lines[i];
    if (is_figure_caption_start(l.text) || is_table_caption_start(l.text)) continue;
    if (reads_like_sentence(l)) continue;
    // Labels: a few words, or a row of tick values ("1990 1995 2000 2005").
    const bool label = l.words.size() <= 4 || prose_word_count(l.text) == 0;
    for (size_t f = 0; f < figures.size(); ++f) {
      const Box& fig = figures[f];
      const bool inside = l.box.fraction_inside(fig) >= 0.6f;
      const bool beside = label && l.box.fraction_inside(grown(fig, margin)) >= 0.9f;
      if (inside || beside) {
        owner[i] = static_cast<int>(f);
        break;
      }
    }
  }
  return owner;
}

std::string figure_text(std::span<const TextLine> lines, std::span<const int> owner, int figure) {
  std::vector<const TextLine*> own;
  for (size_t i = 0; i < lines.size() && i < owner.size(); ++i) {
    if (owner[i] == figure) own.push_back(&lines[i]);
  }
  std::ranges::sort(own, {}, [](const TextLine* l) { return std::pair(l->box.y0, l->box.x0); });
  std::string out;
  for (const TextLine* l : own) {
    if (!out.empty()) out += '\n';
    out += l->text;
  }
  return out;
}

}  // namespace docmill
