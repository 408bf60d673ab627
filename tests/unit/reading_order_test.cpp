#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "layout/reading_order.h"

namespace docmill {
namespace {

constexpr float kWidth = 595;

// `n` lines of a column from x0 to x1, 12 pt apart from y.
void add_column(std::vector<Box>& boxes, float x0, float x1, float y, int n) {
  for (int i = 0; i < n; ++i) {
    // Ragged right edges, as unjustified text has.
    const float right = x1 - static_cast<float>((i * 7) % 20);
    boxes.push_back({x0, y + 12.f * i, right, y + 12.f * i + 10});
  }
}

// Found by the fuzzer: a hostile text layer puts lines left of the page, far right of it, or at
// NaN, and the page itself may claim an absurd width. Nothing is read outside the histogram.
TEST(FindGutters, LinesOffThePageOrNotANumberAreSafe) {
  std::vector<Box> boxes;
  add_column(boxes, -400, -200, 100, 10);
  add_column(boxes, 5000, 5200, 100, 10);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  boxes.push_back({nan, 0, nan, 10});
  // Whatever gutter the clamped lines suggest lies on the page.
  for (float g : find_gutters(boxes, kWidth)) {
    EXPECT_GE(g, 0);
    EXPECT_LE(g, kWidth);
  }
  add_column(boxes, 72, 285, 100, 20);
  add_column(boxes, 310, 523, 100, 20);
  (void)find_gutters(boxes, kWidth);
  EXPECT_TRUE(find_gutters(boxes, 1e30f).empty());
  (void)reading_order(boxes, kWidth);
}

TEST(FindGutters, OneGutterBetweenTwoColumns) {
  std::vector<Box> boxes;
  add_column(boxes, 72, 285, 100, 20);
  add_column(boxes, 310, 523, 100, 20);
  const auto g = find_gutters(boxes, kWidth);
  ASSERT_EQ(g.size(), 1u);
  EXPECT_GT(g[0], 285);
  EXPECT_LT(g[0], 310);
}

TEST(FindGutters, NoneForASingleColumn) {
  std::vector<Box> boxes;
  add_column(boxes, 72, 523, 100, 30);
  EXPECT_TRUE(find_gutters(boxes, kWidth).empty());
}

TEST(FindGutters, NoneForANarrowSingleColumnWithRaggedLines) {
  // Short lines (a poem, a list) are all narrow, but there is no empty strip with text on both
  // sides.
  std::vector<Box> boxes;
  for (int i = 0; i < 20; ++i) {
    boxes.push_back(
        {72, 100.f + 12 * i, 150.f + static_cast<float>((i * 37) % 150), 110.f + 12 * i});
  }
  EXPECT_TRUE(find_gutters(boxes, kWidth).empty());
}

TEST(FindGutters, TwoGuttersForThreeColumns) {
  std::vector<Box> boxes;
  add_column(boxes, 40, 200, 100, 15);
  add_column(boxes, 220, 380, 100, 15);
  add_column(boxes, 400, 560, 100, 15);
  const auto g = find_gutters(boxes, kWidth);
  ASSERT_EQ(g.size(), 2u);
  EXPECT_GT(g[0], 200);
  EXPECT_LT(g[0], 220);
  EXPECT_GT(g[1], 380);
  EXPECT_LT(g[1], 400);
}

TEST(FindGutters, AFewLinesAreNotEnough) {
  std::vector<Box> boxes;
  add_column(boxes, 72, 285, 100, 2);
  add_column(boxes, 310, 523, 100, 2);
  EXPECT_TRUE(find_gutters(boxes, kWidth).empty());
}

TEST(FindGutters, ALoneIndentedLineIsNotAColumn) {
  // One short line on the right (a signature, an address) beside a column: each side of a
  // gutter needs a real share of the lines.
  std::vector<Box> boxes;
  add_column(boxes, 72, 285, 100, 20);
  boxes.push_back({400, 400, 520, 410});
  EXPECT_TRUE(find_gutters(boxes, kWidth).empty());
}

TEST(ReadingOrder, TitleThenLeftColumnThenRightColumn) {
  std::vector<Box> boxes;
  // Given right column first and interleaved with the left, as a content stream may.
  add_column(boxes, 310, 523, 150, 15);  // 0..14
  add_column(boxes, 72, 285, 150, 15);   // 15..29
  boxes.push_back({72, 80, 523, 104});   // 30: the title across both columns
  const auto order = reading_order(boxes, kWidth);
  ASSERT_EQ(order.size(), boxes.size());
  EXPECT_EQ(order[0].index, 30);
  for (int i = 0; i < 15; ++i) {
    EXPECT_EQ(order[1 + i].index, 15 + i) << "left column, top to bottom";
    EXPECT_EQ(order[16 + i].index, i) << "then the right column";
  }
  // Each column is its own region; the title is neither.
  EXPECT_NE(order[0].region, order[1].region);
  EXPECT_EQ(order[1].region, order[15].region);
  EXPECT_NE(order[15].region, order[16].region);
  EXPECT_EQ(order[16].region, order[30].region);
}

TEST(ReadingOrder, AFullWidthFigureSplitsTheColumnsIntoBands) {
  // Columns above a full-width figure are read before it, columns below it after it.
  std::vector<Box> boxes;
  add_column(boxes, 72, 285, 100, 8);    // 0..7   upper left
  add_column(boxes, 310, 523, 100, 8);   // 8..15  upper right
  boxes.push_back({72, 220, 523, 400});  // 16     figure
  add_column(boxes, 72, 285, 420, 8);    // 17..24 lower left
  add_column(boxes, 310, 523, 420, 8);   // 25..32 lower right
  const auto order = reading_order(boxes, kWidth);
  std::vector<int> seq;
  for (const auto& o : order) seq.push_back(o.index);
  std::vector<int> expected;
  for (int i = 0; i <= 32; ++i) expected.push_back(i);
  EXPECT_EQ(seq, expected);
}

TEST(ReadingOrder, SingleColumnIsTopToBottomThenLeftToRight) {
  std::vector<Box> boxes = {
      {72, 300, 500, 310}, {72, 100, 500, 110}, {300, 200, 500, 210}, {72, 200.5f, 250, 210}};
  const auto order = reading_order(boxes, kWidth);
  ASSERT_EQ(order.size(), 4u);
  EXPECT_EQ(order[0].index, 1);
  EXPECT_EQ(order[1].index, 3) << "same line within a point: left part first";
  EXPECT_EQ(order[2].index, 2);
  EXPECT_EQ(order[3].index, 0);
}

TEST(ReadingOrder, EmptyInput) {
  EXPECT_TRUE(reading_order({}, kWidth).empty());
  EXPECT_TRUE(find_gutters({}, kWidth).empty());
}

TEST(ReadingOrder, ColumnsInsideAColumnAreJudgedThere) {
  // The left column starts with a table of contents whose page numbers stand in a narrow
  // column of their own; the body text under it runs across that strip. Over the whole page the
  // strip looks like a gutter, but it is not one of the page's: the left column is read through
  // before the right one, and its body lines stay one region.
  std::vector<Box> boxes;
  for (int i = 0; i < 12; ++i) {
    const float y = 150.f + 12 * static_cast<float>(i);
    boxes.push_back({75, y, 200, y + 10});   // entry title
    boxes.push_back({294, y, 299, y + 10});  // its page number
  }
  add_column(boxes, 54, 299, 320, 8);    // left body: 24..31
  add_column(boxes, 317, 562, 150, 30);  // right column: 32..61
  const auto order = reading_order(boxes, kWidth);
  ASSERT_EQ(order.size(), boxes.size());
  size_t first_right = order.size();
  for (size_t k = 0; k < order.size(); ++k) {
    if (order[k].index >= 32) {
      first_right = std::min(first_right, k);
    } else {
      EXPECT_LT(k, 32u) << "every left-column item comes before the right column";
    }
  }
  EXPECT_EQ(first_right, 32u);
  int body_region = -1;
  for (const auto& item : order) {
    if (item.index < 24 || item.index >= 32) continue;
    if (body_region < 0) body_region = item.region;
    EXPECT_EQ(item.region, body_region) << "the body lines are one region";
  }
}

}  // namespace
}  // namespace docmill
