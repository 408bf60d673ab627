#include <gtest/gtest.h>

#include <vector>

#include "layout/flow_order.h"
#include "support/synthetic_page.h"

namespace docmill {
namespace {

using testing::line_at;

// The word boxes of `lines`, in the order the lines are listed: a reading flow.
std::vector<Box> flow_of(const std::vector<const TextLine*>& lines) {
  std::vector<Box> flow;
  for (const TextLine* l : lines)
    flow.insert(flow.end(), l->word_boxes.begin(), l->word_boxes.end());
  return flow;
}

TEST(FlowOrder, LinesTakeTheOrderOfTheFlow) {
  // Stream order interleaves two columns row by row; the flow reads the left column first.
  const std::vector<TextLine> lines = {line_at(72, 100, "left one"), line_at(320, 100, "right one"),
                                       line_at(72, 112, "left two"),
                                       line_at(320, 112, "right two")};
  const auto flow = flow_of({&lines[0], &lines[2], &lines[1], &lines[3]});
  const auto order = flow_order(lines, flow);
  ASSERT_TRUE(order.has_value());
  EXPECT_EQ(*order, (std::vector<size_t>{0, 2, 1, 3}));
}

TEST(FlowOrder, ALineGoesWhereItsEarliestWordIs) {
  // The flow reads the key column, then the descriptions; a text-layer line that holds both a
  // key and its description goes where its key is.
  const std::vector<TextLine> lines = {line_at(72, 100, "C-k kill line"), line_at(72, 112, "C-y")};
  std::vector<Box> flow = {lines[0].word_boxes[0], lines[1].word_boxes[0], lines[0].word_boxes[1],
                           lines[0].word_boxes[2]};
  const auto order = flow_order(lines, flow);
  ASSERT_TRUE(order.has_value());
  EXPECT_EQ(*order, (std::vector<size_t>{0, 1}));
}

TEST(FlowOrder, AnUnmatchedLineStaysAfterTheLineBeforeIt) {
  const std::vector<TextLine> lines = {line_at(72, 100, "second in the flow of this page"),
                                       line_at(72, 300, "x"),
                                       line_at(72, 200, "first in the flow of this page")};
  const auto flow = flow_of({&lines[2], &lines[0]});
  const auto order = flow_order(lines, flow);
  ASSERT_TRUE(order.has_value());
  EXPECT_EQ(*order, (std::vector<size_t>{2, 0, 1}));
}

TEST(FlowOrder, TooLittleOfTheTextInTheFlowIsNotTrusted) {
  const std::vector<TextLine> lines = {line_at(72, 100, "a line the flow does not have"),
                                       line_at(72, 112, "nor this one")};
  const std::vector<Box> elsewhere = {{400, 700, 450, 710}};
  EXPECT_FALSE(flow_order(lines, elsewhere).has_value());
  EXPECT_FALSE(flow_order(lines, {}).has_value());
  EXPECT_TRUE(flow_order({}, {}).has_value()) << "an empty page has nothing to disagree about";
}

TEST(FlowOrder, ColumnReturnsCountAFlowGoingBackAndForth) {
  // Two columns of four lines each; a flow that reads them through has no returns, one that
  // reads the right column's head, the left column, then the rest of the right has one, and
  // by_columns puts it right while keeping the flow's order inside each column.
  std::vector<TextLine> lines;
  for (int i = 0; i < 8; ++i) {
    lines.push_back(line_at(72, 100.f + 12 * i, "left column line of running text here"));
  }
  for (int i = 0; i < 8; ++i) {
    lines.push_back(line_at(320, 100.f + 12 * i, "right column line of running text here"));
  }
  std::vector<size_t> through(16);
  for (size_t i = 0; i < 16; ++i) through[i] = i;
  EXPECT_EQ(column_returns(lines, through, 595), 0);

  std::vector<size_t> back_and_forth = {8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 15};
  EXPECT_EQ(column_returns(lines, back_and_forth, 595), 1);
  std::vector<size_t> worse = {8, 0, 1, 9, 2, 3, 10, 4, 5, 6, 7, 11, 12, 13, 14, 15};
  EXPECT_GE(column_returns(lines, worse, 595), 2);
  EXPECT_EQ(by_columns(lines, worse, 595), through);

  // Inside the left column the flow reads lines 4–7 before 0–3 (a section's body after the
  // next section): that column is read top to bottom.
  std::vector<size_t> body_late = {4, 5, 6, 7, 0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15};
  EXPECT_EQ(by_columns(lines, body_late, 595), through);
}

}  // namespace
}  // namespace docmill
