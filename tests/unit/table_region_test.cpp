#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "layout/layout_analyzer.h"
#include "layout/table_region.h"
#include "support/synthetic_page.h"

namespace docmill {
namespace {

using testing::describe;
using testing::find_block;
using testing::line_at;
using testing::page_of;

Box hrule(float x0, float x1, float y) {
  return {x0, y, x1, y + 0.5f};
}

Box vrule(float x, float y0, float y1) {
  return {x, y0, x + 0.4f, y1};
}

// One line per cell, as the text layer often reports them; rows 14 pt apart from `y`.
void add_rows(std::vector<TextLine>& lines, float y,
              const std::vector<std::vector<std::pair<float, std::string>>>& rows) {
  for (const auto& row : rows) {
    for (const auto& [x, text] : row) lines.push_back(line_at(x, y, text));
    y += 14;
  }
}

// A booktabs table: \toprule, \midrule under the header, \bottomrule; no vertical rules.
struct Booktabs {
  std::vector<TextLine> lines;
  RuleLines rules;
};

Booktabs booktabs(float y = 200) {
  Booktabs t;
  add_rows(t.lines, y, {{{100, "Animal"}, {200, "Description"}, {320, "Price"}}});
  add_rows(t.lines, y + 20,
           {{{100, "Gnat"}, {200, "per gram"}, {320, "13.65"}},
            {{200, "each"}, {320, "0.01"}},
            {{100, "Gnu"}, {200, "stuffed"}, {320, "92.50"}},
            {{100, "Emu"}, {200, "stuffed"}, {320, "33.33"}}});
  t.rules.horizontal = {hrule(95, 360, y - 4), hrule(95, 360, y + 15), hrule(95, 360, y + 78)};
  return t;
}

TEST(FindTableRegions, BooktabsThreeRulesMakeOneTable) {
  const Booktabs t = booktabs();
  const auto regions = find_table_regions(t.lines, t.rules);
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_EQ(regions[0].lines.size(), t.lines.size());
  EXPECT_EQ(regions[0].text,
            "| Animal | Description | Price |\n"
            "| --- | --- | --- |\n"
            "| Gnat | per gram | 13.65 |\n"
            "|  | each | 0.01 |\n"
            "| Gnu | stuffed | 92.50 |\n"
            "| Emu | stuffed | 33.33 |");
}

TEST(FindTableRegions, SpanningHeaderCellBecomesHtmlWithColspan) {
  Booktabs t = booktabs();
  // "Item" over the first two columns, with a \cmidrule under it.
  t.lines.push_back(line_at(160, 184, "Item"));
  t.rules.horizontal = {hrule(95, 360, 180), hrule(98, 300, 198), hrule(95, 360, 215),
                        hrule(95, 360, 278)};
  const auto regions = find_table_regions(t.lines, t.rules);
  ASSERT_EQ(regions.size(), 1u);
  const std::string& html = regions[0].text;
  EXPECT_NE(html.find("<thead>\n<tr><th colspan=\"2\">Item</th><th></th></tr>"), std::string::npos)
      << html;
  EXPECT_NE(html.find("<tr><th>Animal</th><th>Description</th><th>Price</th></tr>\n</thead>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<tr><td>Gnat</td><td>per gram</td><td>13.65</td></tr>"), std::string::npos)
      << html;
}

TEST(FindTableRegions, TheRuleUnderTheLastRowIsNoHeaderRule) {
  // A spanning header and only a top and a bottom rule: the header is the first row, not the
  // whole table (the bottom rule had text above it and was taken for the header's).
  Booktabs t = booktabs();
  t.lines.push_back(line_at(160, 184, "Item"));
  t.rules.horizontal = {hrule(95, 360, 180), hrule(95, 360, 278)};
  const auto regions = find_table_regions(t.lines, t.rules);
  ASSERT_EQ(regions.size(), 1u);
  const std::string& html = regions[0].text;
  EXPECT_NE(html.find("<th colspan=\"2\">Item</th><th></th></tr>\n</thead>"), std::string::npos)
      << html;
  EXPECT_NE(html.find("<tr><td>Emu</td><td>stuffed</td><td>33.33</td></tr>"), std::string::npos)
      << html;
}

TEST(FindTableRegions, FullyRuledGridJoinsCellsThatWrap) {
  std::vector<TextLine> lines;
  add_rows(lines, 104, {{{100, "Name"}, {200, "Remark"}}});
  add_rows(lines, 124, {{{100, "alpha"}, {200, "first line of"}}, {{200, "a long note"}}});
  add_rows(lines, 158, {{{100, "beta"}, {200, "short"}}});
  RuleLines rules;
  rules.horizontal = {hrule(95, 320, 100), hrule(95, 320, 120), hrule(95, 320, 154),
                      hrule(95, 320, 174)};
  rules.vertical = {vrule(95, 100, 174), vrule(190, 100, 174), vrule(320, 100, 174)};
  const auto regions = find_table_regions(lines, rules);
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_EQ(regions[0].text,
            "| Name | Remark |\n"
            "| --- | --- |\n"
            "| alpha | first line of a long note |\n"
            "| beta | short |");
}

TEST(FindTableRegions, CodeListingBetweenTwoRulesIsNotATable) {
  std::vector<TextLine> lines;
  add_rows(lines, 104,
           {{{100, "int"}, {160, "main() {"}},
            {{120, "return"}, {180, "0;"}},
            {{100, "}"}, {160, "// done"}}});
  for (auto& l : lines) l.monospace = true;
  RuleLines rules;
  rules.horizontal = {hrule(95, 320, 100), hrule(95, 320, 150)};
  EXPECT_TRUE(find_table_regions(lines, rules).empty());
}

TEST(FindTableRegions, ParagraphBetweenHeaderAndFooterRulesIsNotATable) {
  // A running-header rule and a footer rule over the text width frame the whole body.
  std::vector<TextLine> lines =
      testing::column_at(72, 100,
                         {"The river runs north through the valley and reaches the sea after",
                          "a journey of many miles past farms, towns and old stone bridges that",
                          "were built long ago by people whose names are now forgotten."});
  RuleLines rules;
  rules.horizontal = {hrule(72, 420, 80), hrule(72, 420, 780)};
  EXPECT_TRUE(find_table_regions(lines, rules).empty());
}

TEST(FindTableRegions, TwoTablesWithAParagraphBetweenStayApart) {
  Booktabs a = booktabs(150);
  Booktabs b = booktabs(400);
  std::vector<TextLine> lines = a.lines;
  lines.push_back(line_at(95, 300, "Between the tables runs a sentence as wide as they are."));
  lines.insert(lines.end(), b.lines.begin(), b.lines.end());
  RuleLines rules;
  rules.horizontal = a.rules.horizontal;
  rules.horizontal.insert(rules.horizontal.end(), b.rules.horizontal.begin(),
                          b.rules.horizontal.end());
  const auto regions = find_table_regions(lines, rules);
  ASSERT_EQ(regions.size(), 2u);
  EXPECT_EQ(regions[0].lines.size(), a.lines.size());
  EXPECT_EQ(regions[1].lines.size(), b.lines.size());
}

TEST(AnalyzeLayoutTables, RuledTableIsOneBlockWhereItsFirstLineIsRead) {
  Booktabs t = booktabs();
  // The reading flow went down the table column by column: the block still comes out whole,
  // after the paragraph above it and before the one below.
  std::vector<TextLine> lines = {line_at(95, 150, "The prices are listed below.")};
  std::vector<TextLine> by_column = t.lines;
  std::ranges::stable_sort(by_column, {}, [](const TextLine& l) { return l.box.x0; });
  lines.insert(lines.end(), by_column.begin(), by_column.end());
  lines.push_back(line_at(95, 320, "That was the table."));
  PageContent page = page_of(lines);
  page.lines_in_reading_order = true;
  page.rules = t.rules;
  const auto blocks = analyze_layout(page);
  ASSERT_EQ(blocks.size(), 3u) << describe(blocks);
  EXPECT_EQ(blocks[1].label, Label::kTable);
  EXPECT_NE(blocks[1].text.find("| Gnu | stuffed | 92.50 |"), std::string::npos)
      << describe(blocks);
  EXPECT_EQ(find_block(blocks, "That was the table."), 2);
}

TEST(AnalyzeLayoutTables, TableFramedByRulesIsNotAFigure) {
  Booktabs t = booktabs();
  PageContent page = page_of(t.lines, {{95, 196, 360, 279}});
  page.rules = t.rules;
  const auto blocks = analyze_layout(page);
  ASSERT_EQ(blocks.size(), 1u) << describe(blocks);
  EXPECT_EQ(blocks[0].label, Label::kTable);
}

TEST(AnalyzeLayoutTables, RulelessAlignedColumnsBecomeATable) {
  std::vector<TextLine> lines;
  add_rows(lines, 100,
           {{{72, "Sample"}, {200, "Mass"}, {300, "Error"}},
            {{72, "Granite"}, {200, "2.75"}, {300, "0.01"}},
            {{72, "Basalt"}, {200, "3.01"}, {300, "0.02"}}});
  const auto blocks = analyze_layout(page_of(lines));
  ASSERT_EQ(blocks.size(), 1u) << describe(blocks);
  EXPECT_EQ(blocks[0].label, Label::kTable);
  EXPECT_NE(blocks[0].text.find("| Granite | 2.75 | 0.01 |"), std::string::npos);
}

TEST(AnalyzeLayoutTables, TwoColumnTextIsNotATable) {
  std::vector<TextLine> lines;
  add_rows(lines, 100,
           {{{72, "the river runs north through the"}, {320, "farmers grow wheat and barley in"}},
            {{72, "valley and reaches the open sea"}, {320, "the wide fields along its banks"}},
            {{72, "after a journey of many miles"}, {320, "and sell them in the old town"}}});
  for (const auto& b : analyze_layout(page_of(lines))) EXPECT_NE(b.label, Label::kTable);
}

TEST(AnalyzeLayoutTables, TableOfContentsIsNotATable) {
  std::vector<TextLine> lines;
  add_rows(lines, 100,
           {{{72, "1 Introduction"}, {400, "1"}},
            {{72, "2 Getting started"}, {400, "3"}},
            {{72, "3 Reading the data"}, {400, "7"}},
            {{72, "4 Plotting"}, {400, "12"}}});
  for (const auto& b : analyze_layout(page_of(lines))) EXPECT_NE(b.label, Label::kTable);
}

TEST(AnalyzeLayoutTables, ListIsNotATable) {
  std::vector<TextLine> lines;
  add_rows(lines, 100,
           {{{72, "-"}, {90, "apples"}}, {{72, "-"}, {90, "pears"}}, {{72, "-"}, {90, "plums"}}});
  for (const auto& b : analyze_layout(page_of(lines))) EXPECT_NE(b.label, Label::kTable);
}

}  // namespace
}  // namespace docmill
