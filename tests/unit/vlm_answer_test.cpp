#include "vlm/vlm_answer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "vlm/answer_block.h"

namespace docmill {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// One page as DeepSeek-OCR answers the grounding prompt (the format of ../shared/spec/VLM.md):
// every label, a paragraph on two boxes, a table with a span, an equation, an image and its
// caption, page furniture, and the end-of-sentence token skip_special_tokens=false leaves.
constexpr std::string_view kPage = R"(<|ref|>header<|/ref|><|det|>[[60, 20, 940, 38]]<|/det|>
Journal of Tests, Vol. 3

<|ref|>title<|/ref|><|det|>[[114, 60, 886, 96]]<|/det|>
# A Study of Parsers

<|ref|>sub_title<|/ref|><|det|>[[114, 288, 549, 307]]<|/det|>
## 3. Results

<|ref|>text<|/ref|><|det|>[[114, 305, 480, 900], [520, 100, 886, 400]]<|/det|>
Paragraph text with inline math \(x^2\) that runs
on into the next column.

<|ref|>table_caption<|/ref|><|det|>[[120, 310, 880, 328]]<|/det|>
Table 1: Scores

<|ref|>table<|/ref|><|det|>[[120, 330, 880, 610]]<|/det|>
<table><tr><td colspan="2">Scores</td></tr><tr><td>Method</td><td>F1</td></tr></table>

<|ref|>table_footnote<|/ref|><|det|>[[120, 612, 880, 626]]<|/det|>
* on the test split

<|ref|>equation<|/ref|><|det|>[[412, 642, 600, 663]]<|/det|>
\[ P(\lambda) \coloneqq \lambda^2 - 11\lambda + 14. \]

<|ref|>image<|/ref|><|det|>[[120, 680, 880, 900]]<|/det|>

<|ref|>image_caption<|/ref|><|det|>[[120, 905, 880, 925]]<|/det|>
Figure 2: Loss over time.

<|ref|>footer<|/ref|><|det|>[[450, 960, 550, 975]]<|/det|>
Page 3<｜end▁of▁sentence｜>)";

std::vector<Label> labels_of(const VlmAnswer& a) {
  std::vector<Label> out;
  for (const auto& b : a.blocks) out.push_back(b.label);
  return out;
}

TEST(ParseDeepseekAnswer, ReadsEveryBlockOfAPageInOrder) {
  const VlmAnswer a = parse_deepseek_answer(kPage);
  EXPECT_THAT(a.warnings, IsEmpty());
  EXPECT_THAT(labels_of(a),
              ElementsAre(Label::kHeader, Label::kTitle, Label::kSubTitle, Label::kText,
                          Label::kTableCaption, Label::kTable, Label::kTableFootnote,
                          Label::kEquation, Label::kImage, Label::kImageCaption, Label::kFooter));
  ASSERT_EQ(a.blocks.size(), 11u);
  EXPECT_EQ(a.blocks[0].text, "Journal of Tests, Vol. 3");
  EXPECT_EQ(a.blocks[0].boxes, std::vector<NormalizedBox>({{60, 20, 940, 38}}));
  EXPECT_EQ(a.blocks[1].text, "A Study of Parsers");
  EXPECT_EQ(a.blocks[1].heading_level, 1);
  EXPECT_EQ(a.blocks[2].text, "3. Results");
  EXPECT_EQ(a.blocks[2].heading_level, 2);
  EXPECT_EQ(a.blocks[3].text,
            "Paragraph text with inline math $x^2$ that runs\non into the next column.");
  EXPECT_EQ(a.blocks[4].text, "Table 1: Scores");
  EXPECT_EQ(
      a.blocks[5].text,
      "<table><tr><td colspan=\"2\">Scores</td></tr><tr><td>Method</td><td>F1</td></tr></table>");
  EXPECT_EQ(a.blocks[6].text, "* on the test split");  // a footnote marker, not a list
  EXPECT_EQ(a.blocks[7].text, "P(\\lambda) := \\lambda^2 - 11\\lambda + 14.");
  EXPECT_EQ(a.blocks[8].text, "");
  EXPECT_EQ(a.blocks[8].boxes, std::vector<NormalizedBox>({{120, 680, 880, 900}}));
  EXPECT_EQ(a.blocks[9].text, "Figure 2: Loss over time.");
  EXPECT_EQ(a.blocks[10].text, "Page 3");  // the end-of-sentence token is gone
}

TEST(ParseDeepseekAnswer, SeveralBoxesOnOneTag) {
  const VlmAnswer a = parse_deepseek_answer(kPage);
  ASSERT_GT(a.blocks.size(), 3u);
  EXPECT_EQ(a.blocks[3].boxes,
            std::vector<NormalizedBox>({{114, 305, 480, 900}, {520, 100, 886, 400}}));
}

TEST(ParseDeepseekAnswer, BoxesAreClampedAndOrdered) {
  const VlmAnswer a = parse_deepseek_answer(
      "<|ref|>text<|/ref|><|det|>[[900, 50, 100, 20], [-5, 1200, 99999999999999999999, 3]]"
      "<|/det|>\nHello");
  ASSERT_EQ(a.blocks.size(), 1u);
  EXPECT_EQ(a.blocks[0].boxes, std::vector<NormalizedBox>({{100, 20, 900, 50}, {0, 3, 999, 999}}));
  EXPECT_THAT(a.warnings, IsEmpty());
}

struct LabelCase {
  std::string_view name;
  Label label;
};

TEST(ParseDeepseekAnswer, EveryLabelMapsOntoThePageModel) {
  const std::vector<LabelCase> cases = {
      {"title", Label::kTitle},
      {"sub_title", Label::kSubTitle},
      {"text", Label::kText},
      {"table", Label::kTable},
      {"table_caption", Label::kTableCaption},
      {"table_footnote", Label::kTableFootnote},
      {"image", Label::kImage},
      {"figure", Label::kImage},
      {"image_caption", Label::kImageCaption},
      {"equation", Label::kEquation},
      {"header", Label::kHeader},
      {"footer", Label::kFooter},
      {"list", Label::kList},
      {"code", Label::kCode},
      {"page_number", Label::kPageNumber},
      {"Title", Label::kTitle},  // the case the model happens to write does not matter
  };
  for (const auto& c : cases) {
    const std::string answer =
        "<|ref|>" + std::string(c.name) + "<|/ref|><|det|>[[1, 2, 3, 4]]<|/det|>\nWords here";
    const VlmAnswer a = parse_deepseek_answer(answer);
    ASSERT_EQ(a.blocks.size(), 1u) << c.name;
    EXPECT_EQ(a.blocks[0].label, c.label) << c.name;
    EXPECT_EQ(a.blocks[0].text, c.label == Label::kImage ? "" : "Words here") << c.name;
    EXPECT_THAT(a.warnings, IsEmpty()) << c.name;
  }
}

TEST(ParseDeepseekAnswer, UnknownLabelIsTextWithAWarningNamingIt) {
  const VlmAnswer a =
      parse_deepseek_answer("<|ref|>sidebar<|/ref|><|det|>[[1, 2, 3, 4]]<|/det|>\nAside");
  ASSERT_EQ(a.blocks.size(), 1u);
  EXPECT_EQ(a.blocks[0].label, Label::kText);
  EXPECT_EQ(a.blocks[0].text, "Aside");
  ASSERT_EQ(a.warnings.size(), 1u);
  EXPECT_THAT(a.warnings[0], HasSubstr("'sidebar'"));
}

TEST(ParseDeepseekAnswer, HeadingMarksGiveTheLevel) {
  const VlmAnswer a = parse_deepseek_answer(
      "<|ref|>title<|/ref|><|det|>[[0, 0, 9, 9]]<|/det|>\nPlain Title\n\n"
      "<|ref|>sub_title<|/ref|><|det|>[[0, 0, 9, 9]]<|/det|>\nPlain Section\n\n"
      "<|ref|>sub_title<|/ref|><|det|>[[0, 0, 9, 9]]<|/det|>\n### 2.1 Deeper\n\n"
      "<|ref|>title<|/ref|><|det|>[[0, 0, 9, 9]]<|/det|>\n## Two\nline title\n\n"
      "<|ref|>text<|/ref|><|det|>[[0, 0, 9, 9]]<|/det|>\n#### A heading in a text tag\n\n"
      "<|ref|>text<|/ref|><|det|>[[0, 0, 9, 9]]<|/det|>\n#hashtag is text\n\n"
      "<|ref|>sub_title<|/ref|><|det|>[[0, 0, 9, 9]]<|/det|>\n######### Too deep");
  ASSERT_EQ(a.blocks.size(), 7u);
  EXPECT_EQ(a.blocks[0].heading_level, 1);
  EXPECT_EQ(a.blocks[0].text, "Plain Title");
  EXPECT_EQ(a.blocks[1].heading_level, 2);
  EXPECT_EQ(a.blocks[1].text, "Plain Section");
  EXPECT_EQ(a.blocks[2].heading_level, 3);
  EXPECT_EQ(a.blocks[2].text, "2.1 Deeper");
  EXPECT_EQ(a.blocks[3].heading_level, 2);
  EXPECT_EQ(a.blocks[3].text, "Two line title");  // a heading is one line
  EXPECT_EQ(a.blocks[4].label, Label::kSubTitle);
  EXPECT_EQ(a.blocks[4].heading_level, 4);
  EXPECT_EQ(a.blocks[4].text, "A heading in a text tag");
  EXPECT_EQ(a.blocks[5].label, Label::kText);
  EXPECT_EQ(a.blocks[5].text, "#hashtag is text");
  EXPECT_EQ(a.blocks[6].heading_level, 6);
  EXPECT_EQ(a.blocks[6].text, "Too deep");
}

TEST(ParseDeepseekAnswer, TextBlockOfListItemsIsAList) {
  const VlmAnswer a = parse_deepseek_answer(
      "<|ref|>text<|/ref|><|det|>[[0, 0, 9, 9]]<|/det|>\n- apples\n* pears\n\xE2\x80\xA2 plums\n\n"
      "<|ref|>text<|/ref|><|det|>[[0, 0, 9, 9]]<|/det|>\n1. first\n2) second\n(3) third\n\n"
      "<|ref|>text<|/ref|><|det|>[[0, 0, 9, 9]]<|/det|>\na) one\n(b) two\n(iv) four\n\n"
      "<|ref|>text<|/ref|><|det|>[[0, 0, 9, 9]]<|/det|>\n- an item\nand a line that is none\n\n"
      "<|ref|>text<|/ref|><|det|>[[0, 0, 9, 9]]<|/det|>\nA. Smith wrote 3.5 books.\n\n"
      "<|ref|>list<|/ref|><|det|>[[0, 0, 9, 9]]<|/det|>\n- item that\n  wraps\n  - nested");
  ASSERT_EQ(a.blocks.size(), 6u);
  EXPECT_EQ(a.blocks[0].label, Label::kList);
  EXPECT_EQ(a.blocks[0].text, "- apples\n- pears\n- plums");
  EXPECT_EQ(a.blocks[1].label, Label::kList);
  EXPECT_EQ(a.blocks[1].text, "1. first\n2. second\n3. third");
  EXPECT_EQ(a.blocks[2].label, Label::kList);
  EXPECT_EQ(a.blocks[2].text, "- a) one\n- (b) two\n- (iv) four");
  EXPECT_EQ(a.blocks[3].label, Label::kText);
  EXPECT_EQ(a.blocks[3].text, "- an item\nand a line that is none");
  EXPECT_EQ(a.blocks[4].label, Label::kText);
  EXPECT_EQ(a.blocks[5].label, Label::kList);
  EXPECT_EQ(a.blocks[5].text, "- item that wraps\n  - nested");
}

TEST(ParseDeepseekAnswer, TablesWithoutSpansBecomeMarkdownAndTextAroundIsKept) {
  const VlmAnswer a = parse_deepseek_answer(
      "<|ref|>table<|/ref|><|det|>[[0, 0, 9, 9]]<|/det|>\n"
      "<table><tr><td>Method</td><td>F1</td></tr><tr><td>Ours \\(\\alpha\\)</td><td>0.91</td>"
      "</tr></table>\n\n"
      "<|ref|>table<|/ref|><|det|>[[0, 0, 9, 9]]<|/det|>\n"
      "Note above\n<table><tr><td rowspan=\"2\">a</td><td>b</td></tr><tr><td>c</td></tr></table>"
      "\nnote below");
  ASSERT_EQ(a.blocks.size(), 2u);
  EXPECT_EQ(a.blocks[0].text, "| Method | F1 |\n| --- | --- |\n| Ours $\\alpha$ | 0.91 |");
  EXPECT_EQ(a.blocks[1].text,
            "Note above\n\n<table><tr><td rowspan=\"2\">a</td><td>b</td></tr><tr><td>c</td></tr>"
            "</table>\n\nnote below");
  EXPECT_THAT(a.warnings, IsEmpty());
}

TEST(ParseDeepseekAnswer, TableCutShortKeepsItsRowsWithAWarning) {
  const VlmAnswer a = parse_deepseek_answer(
      "<|ref|>table<|/ref|><|det|>[[0, 0, 9, 9]]<|/det|>\n"
      "<table><tr><td>a</td><td>b</td></tr><tr><td>1</td><td>2</td></tr><tr><td>3");
  ASSERT_EQ(a.blocks.size(), 1u);
  EXPECT_EQ(a.blocks[0].text, "| a | b |\n| --- | --- |\n| 1 | 2 |\n| 3 |  |");
  ASSERT_EQ(a.warnings.size(), 1u);
  EXPECT_THAT(a.warnings[0], HasSubstr("table"));
  EXPECT_THAT(a.warnings[0], HasSubstr("cut"));
}

TEST(ParseDeepseekAnswer, EquationsLoseTheirDelimitersAndInlineMathBecomesDollars) {
  const VlmAnswer a = parse_deepseek_answer(
      "<|ref|>equation<|/ref|><|det|>[[0, 0, 9, 9]]<|/det|>\n\\[\na \\eqqcolon b "
      "\\\\[2pt]\n\nc\n\\]"
      "\n\n<|ref|>equation<|/ref|><|det|>[[0, 0, 9, 9]]<|/det|>\n$$ E = mc^2 $$\n\n"
      "<|ref|>text<|/ref|><|det|>[[0, 0, 9, 9]]<|/det|>\n"
      "Let \\( f \\coloneqq g \\) and \\[ h \\] but not \\\\(this\\\\) nor \\(open");
  ASSERT_EQ(a.blocks.size(), 3u);
  EXPECT_EQ(a.blocks[0].text, "a =: b \\\\[2pt]\nc");  // `\\[2pt]` is a TeX line break
  EXPECT_EQ(a.blocks[1].text, "E = mc^2");
  EXPECT_EQ(a.blocks[2].text, "Let $f := g$ and $$h$$ but not \\\\(this\\\\) nor \\(open");
}

TEST(ParseDeepseekAnswer, ImageBlocksHaveNoTextAndNeedABox) {
  const VlmAnswer a = parse_deepseek_answer(
      "<|ref|>image<|/ref|><|det|>[[10, 10, 500, 500]]<|/det|>\nA chart of sales\n\n"
      "<|ref|>image<|/ref|>\n\n"
      "<|ref|>text<|/ref|><|det|>[[0, 0, 9, 9]]<|/det|>\n   \n\n");
  ASSERT_EQ(a.blocks.size(), 1u);  // the empty text block is dropped silently
  EXPECT_EQ(a.blocks[0].label, Label::kImage);
  EXPECT_EQ(a.blocks[0].text, "");
  EXPECT_THAT(a.warnings,
              ElementsAre(HasSubstr("no box list"), HasSubstr("image had no usable box")));
}

TEST(ParseDeepseekAnswer, BlockTextIsTrimmedWithBlankLineRunsFolded) {
  const VlmAnswer a = parse_deepseek_answer(
      "<|ref|>text<|/ref|><|det|>[[0, 0, 9, 9]]<|/det|>\r\n  First line  \r\nsecond\n\n\n\n"
      "next paragraph   \n\n\n");
  ASSERT_EQ(a.blocks.size(), 1u);
  EXPECT_EQ(a.blocks[0].text, "First line\nsecond\n\nnext paragraph");
}

TEST(ParseDeepseekAnswer, AnswerCutInsideATagKeepsWhatParsed) {
  const std::string blocks =
      "<|ref|>title<|/ref|><|det|>[[1, 2, 3, 4]]<|/det|>\n# T\n\n"
      "<|ref|>text<|/ref|><|det|>[[1, 2, 3, 4]]<|/det|>\nOne\n\n"
      "<|ref|>text<|/ref|><|det|>[[1, 2, 3, 4]]<|/det|>\nTwo\n\n";
  for (std::string_view cut : {"<|ref|>text<|/ref|><|det|>[[12, 3", "<|ref|>tab",
                               "<|ref|>text<|/re", "<|ref|>text<|/ref|>", "<|ref|>text<|/ref|><|de",
                               "<|ref|>image<|/ref|><|det|>[[1, 2, 3, 4]], [5"}) {
    const VlmAnswer a = parse_deepseek_answer(blocks + std::string(cut));
    EXPECT_EQ(a.blocks.size(), 3u) << cut;
    EXPECT_THAT(a.warnings, ElementsAre("the model's answer was cut inside a tag; 3 blocks kept"))
        << cut;
  }
}

TEST(ParseDeepseekAnswer, AnswerCutInsideTextKeepsTheText) {
  const VlmAnswer a = parse_deepseek_answer(
      "<|ref|>text<|/ref|><|det|>[[1, 2, 3, 4]]<|/det|>\nThe sentence was cu");
  ASSERT_EQ(a.blocks.size(), 1u);
  EXPECT_EQ(a.blocks[0].text, "The sentence was cu");
}

TEST(ParseDeepseekAnswer, TextBeforeTheFirstTagIsABlockWithoutBoxes) {
  const VlmAnswer a = parse_deepseek_answer(
      "Stray words\n<|ref|>text<|/ref|><|det|>[[1, 2, 3, 4]]<|/det|>\nTagged");
  ASSERT_EQ(a.blocks.size(), 2u);
  EXPECT_EQ(a.blocks[0].text, "Stray words");
  EXPECT_THAT(a.blocks[0].boxes, IsEmpty());
  EXPECT_EQ(a.blocks[1].text, "Tagged");
  EXPECT_THAT(a.warnings, ElementsAre(HasSubstr("began with text outside any tag")));
}

TEST(ParseDeepseekAnswer, BrokenTagsKeepTheirTextAndSaySo) {
  const VlmAnswer a = parse_deepseek_answer(
      "<|ref|>text<|det|>[[1, 2, 3, 4]]<|/det|>\nNo ref close\n\n"
      "<|ref|>text<|/ref|><|det|>[[5, 6, 7, 8]]\nNo det close\n\n"
      "<|ref|>text<|/ref|><|det|>[[1, 2, 3], [4, 5, 6, 7], [a, b, c, d]]<|/det|>\nBad boxes\n\n"
      "<|ref|>text<|/ref|><|det|>oops<|/det|>\nNo boxes at all\n\n"
      "<|ref|>text<|/ref|>\nNo det\n\n"
      "<|ref|>text<|/ref|><|det|>[[1, 2, 3, 4]]<|/det|>\nStray <|/det|> tag");
  ASSERT_EQ(a.blocks.size(), 6u);
  EXPECT_EQ(a.blocks[0].text, "No ref close");
  EXPECT_EQ(a.blocks[0].boxes, std::vector<NormalizedBox>({{1, 2, 3, 4}}));
  EXPECT_EQ(a.blocks[1].text, "No det close");
  EXPECT_EQ(a.blocks[1].boxes, std::vector<NormalizedBox>({{5, 6, 7, 8}}));
  EXPECT_EQ(a.blocks[2].boxes, std::vector<NormalizedBox>({{4, 5, 6, 7}}));
  EXPECT_THAT(a.blocks[3].boxes, IsEmpty());
  EXPECT_EQ(a.blocks[3].text, "No boxes at all");
  EXPECT_THAT(a.blocks[4].boxes, IsEmpty());
  EXPECT_EQ(a.blocks[5].text, "Stray tag");
  EXPECT_THAT(
      a.warnings,
      ElementsAre(HasSubstr("1 tag was without its closing <|/ref|>"),
                  HasSubstr("1 box list was without its closing <|/det|>"),
                  HasSubstr("2 boxes did not parse and were skipped (the first: '[1, 2, 3]')"),
                  HasSubstr("1 tag had no box list"),
                  HasSubstr("1 stray grounding tag inside block text was removed")));
}

TEST(ParseDeepseekAnswer, NoTagsAtAllIsReadAsMarkdownWithAWarning) {
  const VlmAnswer a = parse_deepseek_answer("# Free OCR\n\nJust text.");
  ASSERT_EQ(a.blocks.size(), 2u);
  EXPECT_EQ(a.blocks[0].label, Label::kTitle);
  EXPECT_EQ(a.blocks[1].text, "Just text.");
  EXPECT_THAT(a.warnings, ElementsAre(HasSubstr("no grounding tags")));
  EXPECT_THAT(parse_deepseek_answer("").blocks, IsEmpty());
  EXPECT_THAT(parse_deepseek_answer(" \n ").warnings, IsEmpty());
}

TEST(ParseDeepseekAnswer, GarbageNeverCrashesAndGivesValidText) {
  std::vector<std::string> inputs = {
      std::string(100000, '['),
      "<|ref|>text<|/ref|><|det|>" + std::string(50000, '[') + "<|/det|>\nx",
      "<|ref|><|/ref|><|det|><|/det|>",
      "<|ref|>" + std::string(10000, 'a'),
      "<|/ref|><|det|><|/det|><|ref|>",
      "<|ref|>text<|/ref|><|det|>[[" + std::string(5000, '9') + ", 1, 2, 3]]<|/det|>\nbig",
      std::string("\0\xFF\xFE<|ref|>\xC3<|/ref|>\x80\n\xE2\x82", 22),
  };
  // Inputs that would take minutes if any step were quadratic in the answer's length.
  std::string repeated;
  for (std::string_view piece : {"\\(", "&", "<|/det|> ", "<table><td>&", "<a ", "$$\n"}) {
    std::string s = "<|ref|>table<|/ref|><|det|>[[1, 2, 3, 4]]<|/det|>\n";
    for (int i = 0; i < 40000; ++i) s += piece;
    inputs.push_back(std::move(s));
  }
  unsigned state = 7;
  for (int n = 0; n < 200; ++n) {
    std::string noise;
    for (int i = 0; i < 400; ++i) {
      state = state * 1103515245 + 12345;
      static constexpr std::string_view kPieces[] = {
          "<|ref|>", "<|/ref|>", "<|det|>", "<|/det|>", "[[",  "]]",  ", ", "12",   "-", "\n",
          "text",    "table",    "<table>", "<td>",     "\\(", "\\[", "#",  "\xF0", "|", "- "};
      noise += kPieces[(state >> 16) % std::size(kPieces)];
    }
    inputs.push_back(std::move(noise));
  }
  for (const auto& in : inputs) {
    for (const VlmAnswer& a : {parse_deepseek_answer(in), parse_markdown_answer(in)}) {
      for (const auto& b : a.blocks) {
        EXPECT_TRUE(b.label == Label::kImage || !b.text.empty());
        for (const auto& box : b.boxes) {
          EXPECT_TRUE(box.x0 >= 0 && box.x0 <= box.x1 && box.x1 <= 999);
          EXPECT_TRUE(box.y0 >= 0 && box.y0 <= box.y1 && box.y1 <= 999);
        }
      }
    }
  }
  const VlmAnswer huge = parse_deepseek_answer(inputs[5]);
  ASSERT_EQ(huge.blocks.size(), 1u);
  EXPECT_EQ(huge.blocks[0].boxes, std::vector<NormalizedBox>({{2, 1, 999, 3}}));
}

// ---- plain markdown (olmOCR, Qwen and the like) ----

TEST(ParseMarkdownAnswer, SplitsIntoStructuredBlocksWithoutBoxes) {
  const VlmAnswer a = parse_markdown_answer(
      "---\nprimary_language: en\nis_rotation_valid: True\nis_table: False\n---\n"
      "# Annual Report\n\nIntro paragraph\nwith a soft break and \\(x\\).\n\n"
      "## Results\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
      "<table><tr><td>x</td><td colspan=\"2\">y</td></tr>\n<tr><td>1</td></tr></table>\n\n"
      "$$\nE = mc^2\n$$\n\n\\[ a \\coloneqq b \\]\n\n"
      "Steps:\n- one\n- two\n  continues\n\n"
      "1. first\n2. second\n\n"
      "```\ncode  here\n```\n\n"
      "![Figure 1](page_1_figure.png)\n\n"
      "Text with ![inline](x.png) image.\n\n"
      "# Second top heading\n\n---\n\nEnd.");
  EXPECT_THAT(a.warnings, IsEmpty());
  EXPECT_THAT(
      labels_of(a),
      ElementsAre(Label::kTitle, Label::kText, Label::kSubTitle, Label::kTable, Label::kTable,
                  Label::kEquation, Label::kEquation, Label::kText, Label::kList, Label::kList,
                  Label::kCode, Label::kText, Label::kSubTitle, Label::kText));
  ASSERT_EQ(a.blocks.size(), 14u);
  for (const auto& b : a.blocks) EXPECT_THAT(b.boxes, IsEmpty());
  EXPECT_EQ(a.blocks[0].text, "Annual Report");
  EXPECT_EQ(a.blocks[0].heading_level, 1);
  EXPECT_EQ(a.blocks[1].text, "Intro paragraph\nwith a soft break and $x$.");
  EXPECT_EQ(a.blocks[2].heading_level, 2);
  EXPECT_EQ(a.blocks[3].text, "| a | b |\n|---|---|\n| 1 | 2 |");
  EXPECT_EQ(a.blocks[4].text,
            "<table><tr><td>x</td><td colspan=\"2\">y</td></tr><tr><td>1</td></tr></table>");
  EXPECT_EQ(a.blocks[5].text, "E = mc^2");
  EXPECT_EQ(a.blocks[6].text, "a := b");
  EXPECT_EQ(a.blocks[7].text, "Steps:");
  EXPECT_EQ(a.blocks[8].text, "- one\n- two continues");
  EXPECT_EQ(a.blocks[9].text, "1. first\n2. second");
  EXPECT_EQ(a.blocks[10].text, "code  here");
  EXPECT_EQ(a.blocks[11].text, "Text with  image.");
  EXPECT_EQ(a.blocks[12].text, "Second top heading");
  EXPECT_EQ(a.blocks[12].heading_level, 1);
  EXPECT_EQ(a.blocks[13].text, "End.");
}

TEST(ParseMarkdownAnswer, OuterMarkdownFenceIsNoCodeBlock) {
  const VlmAnswer a = parse_markdown_answer("```markdown\n# Page\n\nBody text.\n```");
  EXPECT_THAT(labels_of(a), ElementsAre(Label::kTitle, Label::kText));
  const VlmAnswer code = parse_markdown_answer("```python\nx = 1\n```");
  EXPECT_THAT(labels_of(code), ElementsAre(Label::kCode));
}

TEST(ParseMarkdownAnswer, CutAnswerKeepsOpenBlocks) {
  const VlmAnswer a =
      parse_markdown_answer("Para\n\n<table><tr><td>a</td><td>b</td></tr><tr><td>1");
  ASSERT_EQ(a.blocks.size(), 2u);
  EXPECT_EQ(a.blocks[1].text, "| a | b |\n| --- | --- |\n| 1 |  |");
  EXPECT_THAT(a.warnings, ElementsAre(HasSubstr("cut")));
  const VlmAnswer eq = parse_markdown_answer("$$\nx + y");
  ASSERT_EQ(eq.blocks.size(), 1u);
  EXPECT_EQ(eq.blocks[0].text, "x + y");
}

TEST(ParseMarkdownAnswer, FrontMatterOnlyOrNothingGivesNoBlocks) {
  EXPECT_THAT(parse_markdown_answer("---\nprimary_language: null\n---\n").blocks, IsEmpty());
  EXPECT_THAT(parse_markdown_answer("").blocks, IsEmpty());
}

TEST(ListMarkdown, NeedsEveryLineAnItemUnlessContinuationsAreAllowed) {
  EXPECT_EQ(list_markdown("- a\n- b", false), "- a\n- b");
  EXPECT_EQ(list_markdown("- a\nmore", false), std::nullopt);
  EXPECT_EQ(list_markdown("- a\nmore", true), "- a more");
  EXPECT_EQ(list_markdown("plain", true), std::nullopt);
  EXPECT_EQ(list_markdown("2023. A year", false), std::nullopt);
  EXPECT_EQ(list_markdown("3.5 million", false), std::nullopt);
  EXPECT_EQ(list_markdown("-", false), std::nullopt);
}

TEST(MarkdownMath, ConvertsDelimitersAndTheModelsColonMacros) {
  EXPECT_EQ(markdown_math("\\( a \\) and \\[b\\]"), "$a$ and $$b$$");
  EXPECT_EQ(markdown_math("x \\coloneqq y \\eqqcolon z"), "x := y =: z");
  EXPECT_EQ(markdown_math("\\\\(not math\\\\)"), "\\\\(not math\\\\)");
}

}  // namespace
}  // namespace docmill
