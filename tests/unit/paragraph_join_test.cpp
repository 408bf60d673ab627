#include <gtest/gtest.h>

#include <vector>

#include "layout/paragraph_join.h"

namespace docmill {
namespace {

Block block(Label label, std::string text, Box box = {0, 0, 100, 10}) {
  Block b;
  b.label = label;
  b.text = std::move(text);
  b.box = box;
  return b;
}

TEST(ParagraphJoin, ParagraphRunningIntoTheNextColumnIsOne) {
  std::vector<Block> blocks = {
      block(Label::kText, "The glaciers retreated slowly after the", {72, 700, 290, 760}),
      block(Label::kText, "last ice age, leaving moraines.", {312, 80, 530, 100})};
  join_cut_paragraphs(blocks);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].text,
            "The glaciers retreated slowly after the last ice age, leaving moraines.");
  ASSERT_EQ(blocks[0].more_boxes.size(), 1u);
  EXPECT_EQ(blocks[0].more_boxes[0].x0, 312);
}

TEST(ParagraphJoin, ParagraphGoesOnAroundAFigureAndItsCaption) {
  std::vector<Block> blocks = {block(Label::kText, "Rivers carry gravel toward the"),
                               block(Label::kImage, ""),
                               block(Label::kImageCaption, "Figure 1: A river."),
                               block(Label::kText, "lowland plains, where farmers live.")};
  join_cut_paragraphs(blocks);
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(blocks[0].text, "Rivers carry gravel toward the lowland plains, where farmers live.");
  EXPECT_EQ(blocks[1].label, Label::kImage);
  EXPECT_EQ(blocks[2].label, Label::kImageCaption);
}

TEST(ParagraphJoin, WrappedListItemTakesItsContinuation) {
  std::vector<Block> blocks = {block(Label::kList, "- CS0—a breadth first introductory course"),
                               block(Label::kText, "similar to Exploring Computer Science")};
  join_cut_paragraphs(blocks);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].text,
            "- CS0—a breadth first introductory course similar to Exploring Computer Science");
}

TEST(ParagraphJoin, FinishedSentencesAndCapitalStartsStayApart) {
  std::vector<Block> blocks = {block(Label::kText, "The first paragraph ends here."),
                               block(Label::kText, "then a lower-case start"),
                               block(Label::kText, "An unfinished line"),
                               block(Label::kText, "Capital start of another block"),
                               block(Label::kSubTitle, "2 Methods"),
                               block(Label::kText, "below a heading")};
  join_cut_paragraphs(blocks);
  EXPECT_EQ(blocks.size(), 6u);
}

TEST(ParagraphJoin, DisplayEquationBetweenStaysItsOwnBlock) {
  std::vector<Block> blocks = {block(Label::kText, "the energy is given by"),
                               block(Label::kEquation, "E = mc^2"),
                               block(Label::kText, "where m is the mass.")};
  join_cut_paragraphs(blocks);
  EXPECT_EQ(blocks.size(), 3u);
}

TEST(ParagraphJoin, EndsParagraph) {
  EXPECT_TRUE(ends_paragraph("A sentence."));
  EXPECT_TRUE(ends_paragraph("a list follows: "));
  EXPECT_TRUE(ends_paragraph("(see above)"));
  EXPECT_FALSE(ends_paragraph("runs on into the"));
  EXPECT_FALSE(ends_paragraph("a list, and"));
}

}  // namespace
}  // namespace docmill
