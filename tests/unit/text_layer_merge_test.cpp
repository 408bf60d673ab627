#include "vlm/text_layer_merge.h"

#include <gtest/gtest.h>

#include <sstream>

#include "support/blocks.h"

namespace docmill {
namespace {

// A text-layer line at `y` from `x`, its words 40 pt apart.
TextLine line_at(float x, float y, const std::string& text) {
  TextLine line;
  line.text = text;
  std::istringstream in(text);
  std::string word;
  float wx = x;
  while (in >> word) {
    line.words.push_back(word);
    line.word_boxes.push_back({wx, y, wx + 35, y + 10});
    wx += 40;
  }
  line.box = {x, y, wx, y + 10};
  return line;
}

using testing::block;

TEST(TextLayerMerge, TextBlocksTakeTheLayersWordsInsideTheirBox) {
  std::vector<TextLine> lines = {line_at(50, 100, "The quick brown fox"),
                                 line_at(50, 112, "jumps over the lazy dog."),
                                 line_at(50, 300, "Results 2025")};
  std::vector<Block> blocks = {
      block(Label::kText, {45, 95, 300, 125}, "The qu1ck brown f0x jumps ovr the lazy dog."),
      block(Label::kSubTitle, {45, 295, 300, 312}, "Resu1ts 2O25"),
  };
  blocks[1].heading_level = 2;
  EXPECT_EQ(merge_text_layer(blocks, lines), 2);
  EXPECT_EQ(blocks[0].text, "The quick brown fox jumps over the lazy dog.");
  EXPECT_EQ(blocks[1].text, "Results 2025");
  EXPECT_EQ(blocks[1].heading_level, 2);  // the model's structure stays
}

TEST(TextLayerMerge, TablesAndEquationsKeepTheModelsText) {
  std::vector<TextLine> lines = {line_at(50, 100, "Method F1"), line_at(50, 112, "Ours 0.91"),
                                 line_at(50, 200, "P = x 2")};
  std::vector<Block> blocks = {
      block(Label::kTable, {45, 95, 300, 125}, "| Method | F1 |\n| --- | --- |\n| Ours | 0.91 |"),
      block(Label::kEquation, {45, 195, 300, 212}, "P = x^2"),
  };
  EXPECT_EQ(merge_text_layer(blocks, lines), 0);
  EXPECT_EQ(blocks[0].text, "| Method | F1 |\n| --- | --- |\n| Ours | 0.91 |");
  EXPECT_EQ(blocks[1].text, "P = x^2");
}

TEST(TextLayerMerge, ABlockTheLayerDoesNotCoverKeepsTheModelsText) {
  // The layer holds only the caption's first words (the rest is drawn as curves).
  std::vector<TextLine> lines = {line_at(50, 100, "Figure")};
  std::vector<Block> blocks = {
      block(Label::kImageCaption, {45, 95, 400, 112}, "Figure 3: Throughput against latency")};
  EXPECT_EQ(merge_text_layer(blocks, lines), 0);
  EXPECT_EQ(blocks[0].text, "Figure 3: Throughput against latency");
}

TEST(TextLayerMerge, AWordGoesToOneBlockOnly) {
  std::vector<TextLine> lines = {line_at(50, 100, "alpha beta gamma delta")};
  // Two overlapping boxes: the first block in reading order takes the words.
  std::vector<Block> blocks = {block(Label::kText, {45, 95, 300, 115}, "alpha beta gamma delta"),
                               block(Label::kText, {45, 95, 300, 115}, "alpha beta gamma delta")};
  EXPECT_EQ(merge_text_layer(blocks, lines), 1);
}

TEST(TextLayerMerge, SeveralBoxesGatherTheWordsOfEach) {
  std::vector<TextLine> lines = {line_at(50, 700, "a paragraph that runs"),
                                 line_at(320, 80, "on in the next column")};
  Block b = block(Label::kText, {45, 695, 300, 715}, "a paragrph that runs on in the next colunm");
  b.more_boxes.push_back({315, 75, 600, 95});
  std::vector<Block> blocks = {b};
  EXPECT_EQ(merge_text_layer(blocks, lines), 1);
  EXPECT_EQ(blocks[0].text, "a paragraph that runs on in the next column");
}

TEST(TextLayerMerge, ListItemsAreRebuiltFromTheirMarks) {
  std::vector<TextLine> lines = {line_at(50, 100, "• first item that"),
                                 line_at(60, 112, "wraps onto a second line"),
                                 line_at(50, 124, "• second item")};
  std::vector<Block> blocks = {block(Label::kList, {45, 95, 400, 140},
                                     "- first itm that wraps onto a second line\n- second itm")};
  EXPECT_EQ(merge_text_layer(blocks, lines), 1);
  EXPECT_EQ(blocks[0].text, "- first item that wraps onto a second line\n- second item");
}

TEST(TextLayerMerge, HyphenatedLineEndsAreRejoined) {
  std::vector<TextLine> lines = {line_at(50, 100, "an infor-"), line_at(50, 112, "mation system")};
  std::vector<Block> blocks = {block(Label::kText, {45, 95, 300, 125}, "an information system")};
  EXPECT_EQ(merge_text_layer(blocks, lines), 1);
  EXPECT_EQ(blocks[0].text, "an information system");
}

}  // namespace
}  // namespace docmill
