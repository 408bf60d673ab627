#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "layout/table_detector.h"
#include "support/synthetic_page.h"

namespace docmill {
namespace {

using testing::line_at;

// A row of cells at the given x positions: one TextLine per row, words spaced by the cells.
TextLine row(float y, const std::vector<std::pair<float, std::string>>& cells) {
  TextLine l;
  l.size = 10;
  for (const auto& [x, text] : cells) {
    const TextLine cell = line_at(x, y, text);
    l.words.insert(l.words.end(), cell.words.begin(), cell.words.end());
    l.word_boxes.insert(l.word_boxes.end(), cell.word_boxes.begin(), cell.word_boxes.end());
    l.box = l.box.united(cell.box);
    l.text += (l.text.empty() ? "" : " ") + text;
  }
  return l;
}

std::vector<int> all(const std::vector<TextLine>& lines) {
  std::vector<int> idx;
  for (size_t i = 0; i < lines.size(); ++i) idx.push_back(static_cast<int>(i));
  return idx;
}

TEST(DetectTable, AlignedRowsBecomeAMarkdownTable) {
  const std::vector<TextLine> lines = {
      row(100, {{72, "Sample"}, {200, "Mass"}, {300, "Error"}}),
      row(114, {{72, "Granite"}, {200, "2.75"}, {300, "0.01"}}),
      row(128, {{72, "Basalt rock"}, {200, "3.01"}, {300, "0.02"}}),
  };
  const auto t = detect_table(lines, all(lines));
  ASSERT_TRUE(t);
  EXPECT_EQ(*t,
            "| Sample | Mass | Error |\n"
            "| --- | --- | --- |\n"
            "| Granite | 2.75 | 0.01 |\n"
            "| Basalt rock | 3.01 | 0.02 |");
}

TEST(DetectTable, CellsGivenAsSeparateLinesOnOneBaseline) {
  // The text layer often reports each cell as its own line.
  std::vector<TextLine> lines;
  for (int r = 0; r < 3; ++r) {
    const float y = 100.f + 14 * r;
    lines.push_back(line_at(72, y, "name" + std::to_string(r)));
    lines.push_back(line_at(250, y, std::to_string(10 * r)));
  }
  const auto t = detect_table(lines, all(lines));
  ASSERT_TRUE(t);
  EXPECT_NE(t->find("| name1 | 10 |"), std::string::npos) << *t;
}

TEST(DetectTable, EmptyCellsStayInTheirColumn) {
  const std::vector<TextLine> lines = {
      row(100, {{72, "A"}, {200, "B"}, {300, "C"}}),
      row(114, {{72, "a1"}, {300, "c1"}}),
      row(128, {{72, "a2"}, {200, "b2"}, {300, "c2"}}),
  };
  const auto t = detect_table(lines, all(lines));
  ASSERT_TRUE(t);
  EXPECT_NE(t->find("| a1 |  | c1 |"), std::string::npos) << *t;
}

TEST(DetectTable, PipesInCellsAreEscaped) {
  const std::vector<TextLine> lines = {
      row(100, {{72, "x|y"}, {200, "1"}}),
      row(114, {{72, "z"}, {200, "2"}}),
      row(128, {{72, "w"}, {200, "3"}}),
  };
  const auto t = detect_table(lines, all(lines));
  ASSERT_TRUE(t);
  EXPECT_NE(t->find("x\\|y"), std::string::npos) << *t;
}

TEST(DetectTable, ProseIsNotATable) {
  const std::vector<TextLine> lines = {
      line_at(72, 100, "The river runs north through the valley and"),
      line_at(72, 112, "reaches the sea after a journey of many miles"),
      line_at(72, 124, "past farms, towns and old stone bridges."),
  };
  EXPECT_FALSE(detect_table(lines, all(lines)));
}

TEST(DetectTable, TwoRowsAreTooFew) {
  const std::vector<TextLine> lines = {
      row(100, {{72, "A"}, {200, "B"}}),
      row(114, {{72, "1"}, {200, "2"}}),
  };
  EXPECT_FALSE(detect_table(lines, all(lines)));
}

TEST(DetectTable, OnlyTheGivenLinesCount) {
  const std::vector<TextLine> lines = {
      row(100, {{72, "A"}, {200, "B"}}),
      line_at(72, 114, "a sentence in between that is not part of it"),
      row(128, {{72, "1"}, {200, "2"}}),
      row(142, {{72, "3"}, {200, "4"}}),
  };
  EXPECT_TRUE(detect_table(lines, {0, 2, 3}));
  EXPECT_FALSE(detect_table(lines, {0, 2}));
}

TEST(DetectTable, LinesWithoutWordBoxesAreNotGuessed) {
  std::vector<TextLine> lines = {
      row(100, {{72, "A"}, {200, "B"}}),
      row(114, {{72, "1"}, {200, "2"}}),
      row(128, {{72, "3"}, {200, "4"}}),
  };
  lines[1].word_boxes.clear();
  EXPECT_FALSE(detect_table(lines, all(lines)));
}

}  // namespace
}  // namespace docmill
