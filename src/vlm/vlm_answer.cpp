#include "vlm/vlm_answer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <utility>

#include "core/utf8.h"
#include "vlm/answer_block.h"

namespace docmill {
namespace {

constexpr std::string_view kRefOpen = "<|ref|>";
constexpr std::string_view kRefClose = "<|/ref|>";
constexpr std::string_view kDetOpen = "<|det|>";
constexpr std::string_view kDetClose = "<|/det|>";
// With skip_special_tokens false the end-of-sentence token can end the content.
constexpr std::string_view kEndOfSentence = "<｜end▁of▁sentence｜>";
// Labels longer than this are not labels but text that lost its closing tag.
constexpr size_t kMaxLabelBytes = 40;

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

// One pass, so that an answer full of stray tags costs no more than its length.
std::string remove_all(std::string_view s, std::string_view what, int* count = nullptr) {
  std::string out;
  out.reserve(s.size());
  size_t from = 0;
  for (size_t at = s.find(what); at != std::string_view::npos; at = s.find(what, from)) {
    out.append(s.substr(from, at - from));
    from = at + what.size();
    // "a <|/det|> b" -> "a b", not "a  b".
    if (!out.empty() && out.back() == ' ' && from < s.size() && s[from] == ' ') ++from;
    if (count) ++*count;
  }
  out.append(s.substr(std::min(from, s.size())));
  return out;
}

// Valid UTF-8, "\n" line ends, no end-of-sentence token: the form both parsers read.
std::string prepared(std::string_view content) {
  std::string s = remove_all(valid_utf8(content), kEndOfSentence);
  std::erase(s, '\r');  // "\r\n" line ends; a lone "\r" is no line break in markdown either
  return s;
}

// A short, printable quote of model output for a warning.
std::string quoted(std::string_view s) {
  std::string q(trim_answer(s).substr(0, std::min<size_t>(trim_answer(s).size(), 30)));
  for (char& c : q) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  const bool cut = trim_answer(s).size() > q.size();
  return "'" + valid_utf8(q) + (cut ? "…'" : "'");
}

std::string plural(size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// "12", "-3", "512.6": the number, saturated far beyond 0–999 so that clamping is exact.
std::optional<long long> parse_number(std::string_view t) {
  t = trim_answer(t);
  if (t.empty()) return std::nullopt;
  const bool negative = t.front() == '-';
  if (t.front() == '-' || t.front() == '+') t.remove_prefix(1);
  long long value = 0;
  size_t i = 0;
  for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i) {
    value = std::min<long long>(value * 10 + (t[i] - '0'), 1'000'000);
  }
  if (i == 0) return std::nullopt;
  if (i < t.size() && t[i] == '.') {
    const size_t frac = ++i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    if (i > frac && t[frac] >= '5') ++value;  // coordinates are integers; round a stray decimal
  }
  if (i != t.size()) return std::nullopt;
  return negative ? -value : value;
}

std::optional<NormalizedBox> parse_box(std::string_view group) {
  std::vector<int> v;
  size_t start = 0;
  while (start <= group.size()) {
    size_t comma = group.find(',', start);
    if (comma == std::string_view::npos) comma = group.size();
    const auto n = parse_number(group.substr(start, comma - start));
    if (!n || v.size() == 4) return std::nullopt;
    v.push_back(static_cast<int>(std::clamp<long long>(*n, 0, 999)));
    start = comma + 1;
  }
  if (v.size() != 4) return std::nullopt;
  return NormalizedBox{std::min(v[0], v[2]), std::min(v[1], v[3]), std::max(v[0], v[2]),
                       std::max(v[1], v[3])};
}

// What went wrong while reading the tags, counted, for the warnings at the end.
struct Problems {
  bool cut = false;
  bool text_before_first_tag = false;
  std::set<std::string> unknown_labels;
  size_t unclosed_refs = 0;
  size_t unclosed_dets = 0;
  size_t without_boxes = 0;
  size_t bad_boxes = 0;
  std::string first_bad_box;
  size_t images_without_box = 0;
  size_t stray_tags = 0;
};

// The boxes in `[[x0, y0, x1, y1], [..]]`: each innermost bracket group of four numbers. One
// pass, whatever the input (`[[[[` repeated, numbers of any size).
std::vector<NormalizedBox> parse_boxes(std::string_view det, Problems& problems) {
  std::vector<NormalizedBox> boxes;
  const auto bad = [&](std::string_view what) {
    if (problems.bad_boxes++ == 0) problems.first_bad_box = quoted(what);
  };
  size_t i = 0;
  while (i < det.size()) {
    if (det[i] != '[') {
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < det.size() && det[j] != '[' && det[j] != ']') ++j;
    if (j < det.size() && det[j] == '[') {
      i = j;  // an outer bracket: the groups are inside
      continue;
    }
    if (j >= det.size()) {  // a bracket never closed
      if (!trim_answer(det.substr(i + 1)).empty()) bad(det.substr(i));
      break;
    }
    const std::string_view group = det.substr(i + 1, j - i - 1);
    if (auto box = parse_box(group)) {
      boxes.push_back(*box);
    } else {
      bad(det.substr(i, j - i + 1));
    }
    i = j + 1;
  }
  if (boxes.empty() && problems.bad_boxes == 0 && !trim_answer(det).empty()) bad(det);
  return boxes;
}

class DeepseekReader {
 public:
  VlmAnswer read(std::string_view content) {
    const std::string s = prepared(content);
    const size_t first = s.find(kRefOpen);
    if (first == std::string::npos) return without_tags(s);
    if (!trim_answer(std::string_view(s).substr(0, first)).empty()) {
      problems_.text_before_first_tag = true;
      add(Label::kText, {}, std::string_view(s).substr(0, first));
    }
    for (size_t pos = first; pos != std::string::npos;) {
      const size_t next = s.find(kRefOpen, pos + kRefOpen.size());
      const size_t end = next == std::string::npos ? s.size() : next;
      const size_t begin = pos + kRefOpen.size();
      read_tag(std::string_view(s).substr(begin, end - begin), next == std::string::npos);
      pos = next;
    }
    answer_.warnings = warnings();
    return std::move(answer_);
  }

 private:
  // A DeepSeek prompt answered without a single grounding tag ("Free OCR." or a model that
  // ignored the prompt): still the page's text, structured as markdown, without boxes.
  VlmAnswer without_tags(const std::string& s) {
    VlmAnswer answer = parse_markdown_answer(s);
    if (!answer.blocks.empty()) {
      answer.warnings.insert(answer.warnings.begin(),
                             "the model's answer had no grounding tags, so its blocks have no "
                             "boxes; it was read as plain markdown");
    }
    return answer;
  }

  // One tag and its block: `segment` runs from after "<|ref|>" to the next "<|ref|>".
  void read_tag(std::string_view segment, bool last) {
    // The label, normally closed by <|/ref|> on the same line.
    std::string_view label_text;
    std::string_view rest;
    const size_t close = segment.find(kRefClose);
    const size_t newline = segment.find('\n');
    if (close != std::string_view::npos && close <= kMaxLabelBytes &&
        (newline == std::string_view::npos || close < newline)) {
      label_text = segment.substr(0, close);
      rest = segment.substr(close + kRefClose.size());
    } else {
      if (last && newline == std::string_view::npos &&
          segment.find(kDetOpen) == std::string_view::npos) {
        problems_.cut = true;  // "<|ref|>tab" or "<|ref|>text<|/re" at the very end
        return;
      }
      ++problems_.unclosed_refs;
      const size_t end = std::min({segment.find("<|"), newline, segment.size()});
      label_text = segment.substr(0, end);
      rest = segment.substr(end);
      if (rest.starts_with("<|") && !rest.starts_with(kDetOpen)) {
        // A mangled closing tag ("<|/rf|>"): skipped up to its end.
        const size_t tag_end = rest.find("|>", 2);
        rest.remove_prefix(tag_end == std::string_view::npos ? rest.size() : tag_end + 2);
      }
    }
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);

    // The boxes, then the block's markdown.
    std::vector<NormalizedBox> boxes;
    std::string_view body;
    if (rest.starts_with(kDetOpen)) {
      const std::string_view det = rest.substr(kDetOpen.size());
      const size_t det_close = det.find(kDetClose);
      if (det_close != std::string_view::npos) {
        boxes = parse_boxes(det.substr(0, det_close), problems_);
        body = det.substr(det_close + kDetClose.size());
      } else {
        const size_t line_end = det.find('\n');
        if (last && line_end == std::string_view::npos) {
          problems_.cut = true;  // "<|det|>[[12, 3" at the very end
          return;
        }
        ++problems_.unclosed_dets;
        boxes = parse_boxes(det.substr(0, line_end), problems_);
        body = line_end == std::string_view::npos ? std::string_view{} : det.substr(line_end + 1);
      }
    } else {
      if (last && kDetOpen.starts_with(trim_answer(rest))) {
        problems_.cut = true;  // "<|ref|>text<|/ref|>" or "…<|de" at the very end
        return;
      }
      ++problems_.without_boxes;
      body = rest;
    }

    const std::string name = lowered(trim_answer(label_text));
    add(label_of(name), std::move(boxes), body);
  }

  Label label_of(const std::string& name) {
    if (name == "figure") return Label::kImage;
    if (auto label = parse_label(name)) return *label;
    problems_.unknown_labels.insert(name);
    return Label::kText;
  }

  void add(Label label, std::vector<NormalizedBox> boxes, std::string_view body) {
    // Grounding tags have no place inside a block's text: pieces of a mangled tag.
    int stray = 0;
    std::string text(body);
    for (std::string_view tag : {kRefClose, kDetOpen, kDetClose}) {
      text = remove_all(text, tag, &stray);
    }
    problems_.stray_tags += static_cast<size_t>(stray);
    auto block = finish_block(label, text, block_warnings_);
    if (!block) return;
    if (block->label == Label::kImage && boxes.empty()) {
      ++problems_.images_without_box;  // nothing to crop, and an image has no text
      return;
    }
    block->boxes = std::move(boxes);
    answer_.blocks.push_back(std::move(*block));
  }

  std::vector<std::string> warnings() const {
    const Problems& p = problems_;
    std::vector<std::string> out;
    const size_t kept = answer_.blocks.size();
    if (p.cut) {
      out.push_back(fmt::format("the model's answer was cut inside a tag; {} kept",
                                plural(kept, "block", "blocks")));
    }
    if (p.text_before_first_tag) {
      out.emplace_back(
          "the model's answer began with text outside any tag; it was kept as a text block "
          "without a box");
    }
    size_t named = 0;
    for (const auto& name : p.unknown_labels) {
      if (named++ == 5) {
        out.push_back(fmt::format("and {} more unknown labels", p.unknown_labels.size() - 5));
        break;
      }
      out.push_back(fmt::format(
          "the model used the label {}, which docmill does not know; the block was read as text",
          quoted(name)));
    }
    if (p.unclosed_refs > 0) {
      out.push_back(
          fmt::format("{} without its closing <|/ref|>; the label was read up to the "
                      "boxes or the end of the line",
                      plural(p.unclosed_refs, "tag was", "tags were")));
    }
    if (p.unclosed_dets > 0) {
      out.push_back(
          fmt::format("{} without its closing <|/det|>; the boxes were read up to the "
                      "end of the line",
                      plural(p.unclosed_dets, "box list was", "box lists were")));
    }
    if (p.bad_boxes > 0) {
      out.push_back(fmt::format("{} not parse and {} skipped (the first: {})",
                                plural(p.bad_boxes, "box did", "boxes did"),
                                p.bad_boxes == 1 ? "was" : "were", p.first_bad_box));
    }
    if (p.without_boxes > 0) {
      out.push_back(fmt::format("{} no box list; kept without a box",
                                plural(p.without_boxes, "tag had", "tags had")));
    }
    if (p.images_without_box > 0) {
      out.push_back(fmt::format("{} no usable box and {} dropped: there is nothing to crop",
                                plural(p.images_without_box, "image had", "images had"),
                                p.images_without_box == 1 ? "was" : "were"));
    }
    if (p.stray_tags > 0) {
      out.push_back(fmt::format("{} inside block text {} removed",
                                plural(p.stray_tags, "stray grounding tag", "stray grounding tags"),
                                p.stray_tags == 1 ? "was" : "were"));
    }
    for (const auto& w : block_warnings_) {
      if (std::ranges::find(out, w) == out.end()) out.push_back(w);
    }
    return out;
  }

  VlmAnswer answer_;
  Problems problems_;
  std::vector<std::string> block_warnings_;
};

// ---- plain markdown ----

// olmOCR opens with YAML front matter (language, rotation, is_table, …): not page text.
std::string_view without_front_matter(std::string_view s) {
  const std::string_view t = trim_answer(s);
  if (!t.starts_with("---\n")) return s;
  size_t at = 3;
  while ((at = t.find("\n---", at)) != std::string_view::npos) {
    const size_t after = at + 4;
    if (after == t.size() || t[after] == '\n') return t.substr(after);
    at = after;
  }
  return s;
}

// Qwen and others wrap the whole page in ```markdown … ```: the fence is no code block.
std::string_view without_outer_fence(std::string_view s) {
  const std::string_view t = trim_answer(s);
  if (!t.starts_with("```") || !t.ends_with("```") || t.size() < 6) return s;
  const size_t first_nl = t.find('\n');
  if (first_nl == std::string_view::npos) return s;
  const std::string_view info = trim_answer(t.substr(3, first_nl - 3));
  if (info != "markdown" && info != "md" && !info.empty()) return s;
  const std::string_view inner = t.substr(first_nl + 1, t.size() - 3 - first_nl - 1);
  // Only when the fence wraps everything: a closing fence inside means several code blocks.
  if (inner.find("\n```") != std::string_view::npos || inner.starts_with("```")) return s;
  return inner;
}

// `![alt](target)` removed: a model without boxes gives no region to crop.
std::string without_image_refs(std::string_view line) {
  std::string out;
  size_t i = 0;
  while (i < line.size()) {
    if (line.substr(i).starts_with("![")) {
      const size_t close = line.find("](", i + 2);
      const size_t end = close == std::string_view::npos ? close : line.find(')', close + 2);
      if (end != std::string_view::npos) {
        i = end + 1;
        continue;
      }
    }
    out += line[i++];
  }
  return out;
}

bool is_rule(std::string_view t) {
  if (t.size() < 3) return false;
  const char c = t.front();
  if (c != '-' && c != '*' && c != '_') return false;
  return std::ranges::all_of(t, [c](char x) { return x == c || x == ' '; });
}

bool is_heading(std::string_view t) {
  size_t marks = 0;
  while (marks < t.size() && t[marks] == '#') ++marks;
  return marks >= 1 && marks <= 6 && marks < t.size() && t[marks] == ' ' &&
         !trim_answer(t.substr(marks)).empty();
}

bool contains_table_tag(std::string_view t) {
  return lowered(t).find("<table") != std::string::npos;
}

class MarkdownReader {
 public:
  VlmAnswer read(std::string_view content) {
    const std::string s = prepared(content);
    const std::vector<std::string_view> lines =
        split_lines(without_outer_fence(without_front_matter(s)));
    size_t i = 0;
    while (i < lines.size()) {
      const std::string_view t = trim_answer(lines[i]);
      if (t.empty() || is_rule(t)) {
        flush();
        ++i;
      } else if (t.starts_with("```") || t.starts_with("~~~")) {
        i = fenced(lines, i, t.substr(0, 3));
      } else if (t.starts_with("$$")) {
        i = delimited(lines, i, "$$", Label::kEquation);
      } else if (t.starts_with("\\[")) {
        i = delimited(lines, i, "\\]", Label::kEquation);
      } else if (contains_table_tag(t)) {
        i = delimited(lines, i, "</table>", Label::kTable);
      } else if (t.starts_with('|') && i + 1 < lines.size() &&
                 trim_answer(lines[i + 1]).starts_with('|')) {
        flush();
        std::string table;
        for (; i < lines.size() && trim_answer(lines[i]).starts_with('|'); ++i) {
          table += trim_answer(lines[i]);
          table += '\n';
        }
        add(Label::kTable, table);
      } else if (is_heading(t)) {
        flush();
        const bool title = t.starts_with("# ") && !title_seen_;
        title_seen_ = title_seen_ || title;
        add(title ? Label::kTitle : Label::kSubTitle, t);
        ++i;
      } else {
        const std::string line = without_image_refs(lines[i]);
        if (trim_answer(line).empty()) {
          flush();  // a line of image references only
        } else {
          paragraph_.push_back(line);
        }
        ++i;
      }
    }
    flush();
    answer_.warnings = std::move(warnings_);
    return std::move(answer_);
  }

 private:
  // From line `i` to the closing `close` (the same line when it closes there), as one block.
  size_t delimited(const std::vector<std::string_view>& lines, size_t i, std::string_view close,
                   Label label) {
    flush();
    std::string body(lines[i]);
    const std::string_view first = trim_answer(lines[i]);
    const size_t opener = label == Label::kTable ? 0 : 2;
    bool closed =
        lowered(first.substr(std::min(first.size(), opener))).find(close) != std::string::npos;
    for (++i; !closed && i < lines.size(); ++i) {
      body += '\n';
      body += lines[i];
      closed = lowered(lines[i]).find(close) != std::string::npos;
    }
    add(label, body);
    return i;
  }

  // A fenced code block, up to its closing fence (or the end of a cut answer).
  size_t fenced(const std::vector<std::string_view>& lines, size_t i, std::string_view fence) {
    flush();
    std::string body;
    for (++i; i < lines.size() && !trim_answer(lines[i]).starts_with(fence); ++i) {
      body += lines[i];
      body += '\n';
    }
    add(Label::kCode, body);
    return i < lines.size() ? i + 1 : i;
  }

  // A paragraph's lines: text up to the first list item, then the list (whose later lines
  // continue its items, as markdown readers take them).
  void flush() {
    if (paragraph_.empty()) return;
    size_t first_item = paragraph_.size();
    for (size_t k = 0; k < paragraph_.size(); ++k) {
      if (list_markdown(paragraph_[k], false)) {
        first_item = k;
        break;
      }
    }
    std::string text, list;
    for (size_t k = 0; k < paragraph_.size(); ++k) {
      std::string& to = k < first_item ? text : list;
      to += paragraph_[k];
      to += '\n';
    }
    paragraph_.clear();
    add(Label::kText, text);
    add(Label::kList, list);
  }

  void add(Label label, std::string_view body) {
    if (auto block = finish_block(label, body, warnings_))
      answer_.blocks.push_back(std::move(*block));
  }

  VlmAnswer answer_;
  std::vector<std::string> warnings_;
  std::vector<std::string> paragraph_;
  bool title_seen_ = false;
};

}  // namespace

VlmAnswer parse_deepseek_answer(std::string_view content) {
  return DeepseekReader().read(content);
}

VlmAnswer parse_markdown_answer(std::string_view content) {
  return MarkdownReader().read(content);
}

}  // namespace docmill
