#include <gtest/gtest.h>

#include <vector>

#include "layout/rule_lines.h"

namespace docmill {
namespace {

TEST(FindRuleLines, ThinWideMarksAreHorizontalAndThinTallOnesVertical) {
  const std::vector<Box> marks = {
      {72, 100, 300, 100.8f},  // \toprule
      {150, 90, 150.4f, 200},  // a column rule
      {72, 300, 200, 400},     // a filled area: neither
      {72, 500, 76, 500.5f},   // a dash: too short
  };
  const RuleLines r = find_rule_lines(marks);
  ASSERT_EQ(r.horizontal.size(), 1u);
  EXPECT_EQ(r.horizontal[0], marks[0]);
  ASSERT_EQ(r.vertical.size(), 1u);
  EXPECT_EQ(r.vertical[0], marks[1]);
}

TEST(FindRuleLines, PiecesOfOneRuleAreJoined) {
  // \hline drawn per column, in any order, with float noise across the line.
  const std::vector<Box> marks = {
      {200, 100, 300, 100.4f},
      {72, 100.05f, 150, 100.45f},
      {150, 100, 201, 100.4f},
      {400, 100, 500, 100.4f},  // another rule on the same line, apart
  };
  const RuleLines r = find_rule_lines(marks);
  ASSERT_EQ(r.horizontal.size(), 2u);
  EXPECT_FLOAT_EQ(r.horizontal[0].x0, 72);
  EXPECT_FLOAT_EQ(r.horizontal[0].x1, 300);
  EXPECT_FLOAT_EQ(r.horizontal[1].x0, 400);
}

}  // namespace
}  // namespace docmill
