#include "vlm/html_table.h"

#include <gtest/gtest.h>

#include <string>

namespace docmill {
namespace {

TEST(TableMarkdown, PlainTableBecomesAPipeTableWithTheFirstRowAsHeader) {
  EXPECT_EQ(table_markdown("<table><tr><td>Method</td><td>F1</td></tr>"
                           "<tr><td>Ours</td><td>0.91</td></tr></table>"),
            "| Method | F1 |\n"
            "| --- | --- |\n"
            "| Ours | 0.91 |");
}

TEST(TableMarkdown, CellTextIsTrimmedDecodedAndKeptOnOneLine) {
  EXPECT_EQ(table_markdown("<table>\n  <tr>\n    <th> A &amp; B </th><td>x&lt;y&#x3E;z&#955;</td>\n"
                           "  </tr>\n  <tr><td>one<br>two<br/>three</td><td>a\n   b&nbsp;c</td>"
                           "</tr>\n</table>"),
            "| A & B | x<y>z\xCE\xBB |\n"
            "| --- | --- |\n"
            "| one two three | a b c |");
}

TEST(TableMarkdown, PipesInCellsAreEscaped) {
  EXPECT_EQ(table_markdown("<table><tr><td>a|b</td></tr><tr><td>|x|</td></tr></table>"),
            "| a\\|b |\n| --- |\n| \\|x\\| |");
}

TEST(TableMarkdown, ShortRowsArePaddedAndEmptyRowsDropped) {
  EXPECT_EQ(table_markdown("<table><tr><td>a</td><td>b</td><td>c</td></tr><tr></tr>"
                           "<tr><td>1</td></tr></table>"),
            "| a | b | c |\n| --- | --- | --- |\n| 1 |  |  |");
}

TEST(TableMarkdown, ColspanKeepsCleanHtml) {
  EXPECT_EQ(table_markdown("<table border=\"1\" class=\"x\">\n<tr>\n<td colspan=\"2\" "
                           "style=\"a\">Results</td>\n</tr>\n<tr><td>P</td><td>R</td></tr>\n"
                           "</table>"),
            "<table><tr><td colspan=\"2\">Results</td></tr>"
            "<tr><td>P</td><td>R</td></tr></table>");
}

TEST(TableMarkdown, RowspanKeepsCleanHtmlWithEscapedText) {
  EXPECT_EQ(table_markdown("<TABLE><TR><TH ROWSPAN=2>Model</TH><TD>a &amp; b</TD></TR>"
                           "<TR><TD>x < y</TD></TR></TABLE>"),
            "<table><tr><th rowspan=\"2\">Model</th><td>a &amp; b</td></tr>"
            "<tr><td>x &lt; y</td></tr></table>");
}

TEST(TableMarkdown, SpanOfOneIsNoSpan) {
  EXPECT_EQ(
      table_markdown("<table><tr><td colspan='1'>a</td><td rowspan=\"1\">b</td></tr></table>"),
      "| a | b |\n| --- | --- |");
}

TEST(TableMarkdown, SupAndSubSurviveOtherTagsDoNot) {
  EXPECT_EQ(table_markdown("<table><tr><td><b>x</b><sup>2</sup></td><td>H<sub>2</sub>O</td></tr>"
                           "</table>"),
            "| x<sup>2</sup> | H<sub>2</sub>O |\n| --- | --- |");
  EXPECT_EQ(table_markdown("<table><tr><td colspan=\"2\">m<sup>3</sup></td></tr></table>"),
            "<table><tr><td colspan=\"2\">m<sup>3</sup></td></tr></table>");
}

TEST(TableMarkdown, TableCutShortKeepsItsRows) {
  EXPECT_EQ(table_markdown("<table><tr><td>a</td><td>b</td></tr><tr><td>1</td><td>2"),
            "| a | b |\n| --- | --- |\n| 1 | 2 |");
  EXPECT_EQ(table_markdown("<table><tr><td>a</td><td>b</td></tr><tr><td>1</td><td cols"),
            "| a | b |\n| --- | --- |\n| 1 |  |");
}

TEST(TableMarkdown, RowsWithoutTableTagAndCellsWithoutRows) {
  EXPECT_EQ(table_markdown("<tr><td>a</td></tr><tr><td>b</td></tr>"), "| a |\n| --- |\n| b |");
  EXPECT_EQ(table_markdown("<table><td>a</td><td>b</td></table>"), "| a | b |\n| --- | --- |");
}

TEST(TableMarkdown, TextBeforeTheTableAndAfterItsEndIsNotPartOfIt) {
  EXPECT_EQ(table_markdown("Table 1 <table><tr><td>a</td></tr></table> <tr><td>z</td></tr>"),
            "| a |\n| --- |");
}

TEST(TableMarkdown, NoCellsMeansNoTable) {
  EXPECT_EQ(table_markdown(""), "");
  EXPECT_EQ(table_markdown("<table></table>"), "");
  EXPECT_EQ(table_markdown("<table><tr></tr></table>"), "");
  EXPECT_EQ(table_markdown("just words"), "");
}

TEST(TableMarkdown, BrokenAttributesAndEntitiesDoNotBreakIt) {
  EXPECT_EQ(table_markdown("<table><tr><td colspan=\"abc\">a &bogus; &#xFFFFFFFFF; &#0;</td>"
                           "<td rowspan=99999999>b</td></tr></table>"),
            "<table><tr><td>a &amp;bogus; &amp;#xFFFFFFFFF;</td><td rowspan=\"1000\">b</td>"
            "</tr></table>");
}

TEST(TableMarkdown, AnyBytesGiveATableOrNothing) {
  std::string noise;
  unsigned state = 12345;
  for (int i = 0; i < 20000; ++i) {
    state = state * 1103515245 + 12345;
    static constexpr std::string_view kPieces[] = {
        "<table", "<tr>", "<td colspan=", "</td>", ">", "<", "&#", ";", "x", "\x01", "\xFF", "\n"};
    noise += kPieces[(state >> 16) % std::size(kPieces)];
  }
  const std::string out = table_markdown(noise);
  EXPECT_TRUE(out.empty() || out.starts_with("|") || out.starts_with("<table>"))
      << out.substr(0, 80);
  EXPECT_EQ(out.find('\x01'), std::string::npos);
}

}  // namespace
}  // namespace docmill
