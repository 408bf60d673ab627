#include <gtest/gtest.h>

#include "layout/estimated_lines.h"
#include "support/blocks.h"

namespace docmill {
namespace {

using testing::block;

std::string words_of(const std::vector<OcrLine>& lines) {
  std::string out;
  for (const auto& l : lines) {
    for (const auto& w : l.words) out += (out.empty() ? "" : " ") + w.text;
  }
  return out;
}

TEST(EstimatedLines, AParagraphIsWrappedIntoLinesOfPrintedProportionInsideItsBox) {
  // 10 words of 9 characters: 99 characters over 400 x 60 pt: sqrt(0.5 * 60 * 99 / 400) = 2.7,
  // so three lines of 20 pt, characters about 12 pt wide.
  const Box box{100, 200, 500, 260};
  const auto lines = estimated_lines(
      {block(Label::kText, box,
             "wordone01 wordtwo02 wordthr03 wordfou04 wordfiv05 wordsix06 wordsev07 wordeig08 "
             "wordnin09 wordten10")});
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(words_of(lines),
            "wordone01 wordtwo02 wordthr03 wordfou04 wordfiv05 wordsix06 wordsev07 wordeig08 "
            "wordnin09 wordten10");
  float last_bottom = box.y0;
  for (const auto& l : lines) {
    EXPECT_FLOAT_EQ(l.box.y0, last_bottom);
    EXPECT_NEAR(l.box.height(), 20, 0.01);
    last_bottom = l.box.y1;
    float last_right = box.x0 - 1;
    for (const auto& w : l.words) {
      EXPECT_GE(w.box.x0, box.x0);
      EXPECT_LE(w.box.x1, box.x1 + 0.01f);
      EXPECT_GT(w.box.x0, last_right) << "words in order, not overlapping";
      last_right = w.box.x1;
      const float char_width = w.box.width() / 9.f;
      EXPECT_GT(char_width, 0.3f * l.box.height());
      EXPECT_LT(char_width, 0.8f * l.box.height());
    }
  }
  EXPECT_FLOAT_EQ(last_bottom, box.y1);
}

TEST(EstimatedLines, MarkupIsNotTextAndImagesAndEquationsHaveNone) {
  const auto lines = estimated_lines({
      block(Label::kTable, {0, 0, 300, 40}, "| Name | Age |\n|---|---|\n| Ana | 31 |"),
      block(Label::kTable, {0, 50, 300, 90},
            "<table><tr><td>Budget</td><td>x < y</td></tr></table>"),
      block(Label::kList, {0, 100, 300, 120}, "- first item\n- **second**"),
      block(Label::kSubTitle, {0, 122, 300, 128}, "## Results =\n=========="),
      block(Label::kImage, {0, 130, 300, 300}, "axis label"),
      block(Label::kEquation, {0, 310, 300, 330}, "E = mc^2"),
      block(Label::kText, {0, 340, 0, 360}, "a block without width"),
  });
  EXPECT_EQ(words_of(lines), "Name Age Ana 31 Budget x < y first item second Results =");
}

TEST(EstimatedLines, BlocksGivenOneBoxShareItTopToBottom) {
  // A model answering without boxes: every block has the whole page.
  const Box page{0, 0, 600, 800};
  const auto lines = estimated_lines({
      block(Label::kTitle, page, "# Annual report"),
      block(Label::kText, page, "Sales rose in every region this year, and costs fell."),
      block(Label::kText, {50, 700, 550, 720}, "A footnote with its own box."),
  });
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(words_of(lines),
            "Annual report Sales rose in every region this year, and costs fell. A footnote with "
            "its own box.");
  // The footnote fits on one line of its own box; the lines before it share the page.
  float last_bottom = 0;
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    EXPECT_GE(lines[i].box.y0, last_bottom - 0.01f) << "one below the other, none overlapping";
    last_bottom = lines[i].box.y1;
  }
  EXPECT_NEAR(last_bottom, 800, 0.01);
  EXPECT_LE(lines.front().box.y1, 800 * 0.5f) << "the title has the share of its 13 characters";
  EXPECT_GE(lines.back().box.y0, 700 - 0.01f);
}

}  // namespace
}  // namespace docmill
