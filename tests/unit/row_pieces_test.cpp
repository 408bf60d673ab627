#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "layout/row_pieces.h"
#include "support/synthetic_page.h"

namespace docmill {
namespace {

using testing::column_at;
using testing::line_at;

TEST(RowPieces, DescriptionListRowsBecomeTermDashDescriptionItems) {
  std::vector<TextLine> lines;
  const std::vector<std::pair<std::string_view, std::string_view>> rows = {
      {"C-k", "kill to the end of the line"},
      {"C-y", "yank the most recently killed text"},
      {"M-d", "kill to the end of the current word"},
      {"M-y", "rotate the kill ring and yank the new top"}};
  float y = 100;
  for (const auto& [term, desc] : rows) {
    TextLine t = line_at(25, y, term, 8);
    t.monospace = true;
    lines.push_back(t);
    lines.push_back(line_at(100, y, desc, 7));
    y += 9;
  }
  lines.push_back(line_at(25, 60, "Killing and Yanking", 10, true));
  const auto out = join_row_pieces(std::move(lines));
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(out[0].text, "- C-k — kill to the end of the line");
  EXPECT_FALSE(out[0].monospace);
  EXPECT_EQ(out[3].text, "- M-y — rotate the kill ring and yank the new top");
  EXPECT_EQ(out[4].text, "Killing and Yanking");
}

TEST(RowPieces, TwoColumnsOfRunningTextAreNotADescriptionList) {
  auto lines = column_at(72, 100,
                         {"Glaciers carve deep valleys into the", "mountains over many thousands",
                          "Meltwater rivers carry gravel and sand", "toward the lowland plains"});
  const auto right =
      column_at(312, 100,
                {"Astronomers point large telescopes at", "distant galaxies to study",
                 "born inside clouds of cold gas", "Radio dishes listen for faint"});
  lines.insert(lines.end(), right.begin(), right.end());
  EXPECT_EQ(join_row_pieces(lines).size(), lines.size());
}

TEST(RowPieces, LineNumbersAreNotTerms) {
  std::vector<TextLine> lines;
  for (int i = 0; i < 6; ++i) {
    const float y = 100 + 12.f * static_cast<float>(i);
    lines.push_back(line_at(40, y, std::to_string(14 + i), 10));
    lines.push_back(line_at(72, y, "running text of a draft with line numbers", 10));
  }
  EXPECT_EQ(join_row_pieces(lines).size(), lines.size());
}

}  // namespace
}  // namespace docmill
