#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "layout/layout_analyzer.h"
#include "layout/number_rows.h"
#include "support/synthetic_page.h"

namespace docmill {
namespace {

using testing::describe;
using testing::line_at;
using testing::page_of;

// A dcolumn table as a text layer gives it: every figure a line of its own, written row by
// row, the rows 12 pt apart.
std::vector<TextLine> figure_grid() {
  const std::vector<std::vector<std::string>> rows = {
      {"1.2", "12.5", "300,2"}, {"1121.2", "861.20", "674,29"}, {"184", "10", "69"}};
  std::vector<TextLine> lines;
  for (size_t r = 0; r < rows.size(); ++r) {
    const float y = 200.f + 12.f * static_cast<float>(r);
    for (size_t c = 0; c < rows[r].size(); ++c) {
      lines.push_back(line_at(250.f + 60.f * static_cast<float>(c), y, rows[r][c]));
    }
  }
  return lines;
}

TEST(FigureCell, FiguresWithTheirMarks) {
  for (const char* t : {"861.20", "674,29", "\u22124", "1\u00b723", "(12)", "3,5%", "+0.5"}) {
    EXPECT_TRUE(is_figure_cell(t)) << t;
  }
  for (const char* t : {"", "S1", "x = 2", "Table 3", "1.2.3.4.5.6.7.8.9.10", "-"}) {
    EXPECT_FALSE(is_figure_cell(t)) << t;
  }
}

TEST(JoinNumberRows, EachRowOfAGridBecomesOneLine) {
  const auto lines = join_number_rows(figure_grid());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].text, "1.2 12.5 300,2");
  EXPECT_EQ(lines[1].text, "1121.2 861.20 674,29");
  EXPECT_EQ(lines[2].text, "184 10 69");
  for (const auto& l : lines) {
    EXPECT_TRUE(l.figure_row);
    EXPECT_EQ(l.words.size(), 3u);
    EXPECT_EQ(l.word_boxes.size(), 3u) << "cells keep their own boxes";
  }
}

TEST(JoinNumberRows, TwoRowsAreNoGridAndProseIsLeftAlone) {
  auto lines = figure_grid();
  lines.resize(6);
  EXPECT_EQ(join_number_rows(lines).size(), 6u);

  // A row with a word among its figures is not a row of figures, and without it the two
  // rows left are no grid.
  lines = figure_grid();
  lines[4] = line_at(310, 212, "missing");
  EXPECT_EQ(join_number_rows(lines).size(), 9u);
}

TEST(JoinNumberRows, WholeNumbersTwoByTwoAreNoTable) {
  // Two rulers side by side in a margin: 5 2, 10 4, 15 6.
  std::vector<TextLine> lines;
  for (int r = 1; r <= 3; ++r) {
    const float y = 200.f + 12.f * static_cast<float>(r);
    lines.push_back(line_at(20, y, std::to_string(5 * r)));
    lines.push_back(line_at(40, y, std::to_string(2 * r)));
  }
  EXPECT_EQ(join_number_rows(lines).size(), 6u);
  // The same two columns with decimals are a table's.
  for (auto& l : lines) l.text += ".5";
  EXPECT_EQ(join_number_rows(lines).size(), 3u);
}

TEST(JoinNumberRows, TheGridIsReadAsATable) {
  auto lines = figure_grid();
  const auto blocks = analyze_layout(page_of(std::move(lines)));
  SCOPED_TRACE(describe(blocks));
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].label, Label::kTable);
  EXPECT_NE(blocks[0].text.find("| 1121.2 | 861.20 | 674,29 |"), std::string::npos);
}

}  // namespace
}  // namespace docmill
