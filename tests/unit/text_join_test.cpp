#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "layout/text_join.h"
#include "layout/text_patterns.h"

namespace docmill {
namespace {

std::string join(std::vector<std::string> lines) {
  return join_lines(lines);
}

TEST(JoinLines, JoinsWithSingleSpaces) {
  EXPECT_EQ(join({"The river", "runs north."}), "The river runs north.");
  EXPECT_EQ(join({}), "");
  EXPECT_EQ(join({"", "alone", ""}), "alone");
}

TEST(JoinLines, RejoinsAWordHyphenatedAtTheLineEnd) {
  EXPECT_EQ(join({"measure the infor-", "mation stored here"}),
            "measure the information stored here");
  EXPECT_EQ(join({"a", "con-", "tinuation"}), "a continuation");
}

TEST(JoinLines, RejoinsLatinLowerCaseBeyondAscii) {
  // German text hyphenates before umlauts and ß: "Ver-" + "änderung", "Stra-" + "ße".
  EXPECT_EQ(join({"Ver-", "\xC3\xA4nderung"}), "Ver\xC3\xA4nderung");
  EXPECT_EQ(join({"Stra-",
                  "\xC3\x9F"
                  "e"}),
            "Stra\xC3\x9F"
            "e");
}

TEST(JoinLines, KeepsTheHyphenBeforeACapitalOrANumber) {
  // "Jean-" + "Paul" is a compound, "pages 10-" + "12" a range: the hyphen belongs to them.
  const std::string compound = join({"Jean-", "Paul Sartre"});
  EXPECT_NE(compound.find("Jean-"), std::string::npos) << compound;
  EXPECT_NE(compound.find("Paul"), std::string::npos) << compound;
  const std::string range = join({"pages 10-", "12"});
  EXPECT_NE(range.find("10-"), std::string::npos) << range;
}

TEST(JoinLines, ALoneDashIsNotAHyphenation) {
  // A dash after a space is punctuation, not half a word.
  EXPECT_EQ(join({"wait -", "then go"}), "wait - then go");
}

TEST(AppendLine, AppendsByTheSameRule) {
  std::string t;
  append_line(t, "geo-");
  EXPECT_EQ(t, "geo-");
  append_line(t, "logy is");
  append_line(t, "");
  append_line(t, "fun");
  EXPECT_EQ(t, "geology is fun");
}

TEST(TextPatterns, FigureAndTableCaptions) {
  EXPECT_TRUE(is_figure_caption_start("Figure 3: Results"));
  EXPECT_TRUE(is_figure_caption_start("Fig. 2. A plot"));
  EXPECT_TRUE(is_figure_caption_start("FIGURE 1"));
  EXPECT_TRUE(is_figure_caption_start("Abbildung 4: Karte"));
  EXPECT_FALSE(is_figure_caption_start("Figure out what happened"));
  EXPECT_FALSE(is_figure_caption_start("Figures"));
  EXPECT_TRUE(is_table_caption_start("Table 2: Timings"));
  EXPECT_TRUE(is_table_caption_start("TABLE IV"));
  EXPECT_FALSE(is_table_caption_start("Tables are useful"));
  EXPECT_FALSE(is_table_caption_start("Figure 1"));
}

TEST(TextPatterns, ListItems) {
  EXPECT_TRUE(is_list_item_start("\xE2\x80\xA2 bullet item"));  // •
  EXPECT_TRUE(is_list_item_start("- dash item"));
  EXPECT_TRUE(is_list_item_start("* star item"));
  EXPECT_TRUE(is_list_item_start("1. first"));
  EXPECT_TRUE(is_list_item_start("12) twelfth"));
  EXPECT_TRUE(is_list_item_start("(a) option"));
  EXPECT_TRUE(is_list_item_start("b) option"));
  EXPECT_FALSE(is_list_item_start("1.5 million people"));
  EXPECT_FALSE(is_list_item_start("2024. was a year"));
  EXPECT_FALSE(is_list_item_start("plain sentence"));
  EXPECT_FALSE(is_list_item_start("-"));
}

TEST(TextPatterns, StripBulletKeepsEnumerators) {
  EXPECT_EQ(strip_bullet("\xE2\x80\xA2 item"), "item");
  EXPECT_EQ(strip_bullet("- item"), "item");
  EXPECT_EQ(strip_bullet("\xE2\x80\x93 item"), "item");  // en dash
  EXPECT_EQ(strip_bullet("1. item"), "1. item");
  EXPECT_EQ(strip_bullet("no bullet"), "no bullet");
}

TEST(TextPatterns, NumberedHeadings) {
  EXPECT_TRUE(is_numbered_heading("1 Introduction"));
  EXPECT_TRUE(is_numbered_heading("3.2 Results"));
  EXPECT_TRUE(is_numbered_heading("2.1. Setup"));
  EXPECT_TRUE(is_numbered_heading("IV. Evaluation"));
  EXPECT_TRUE(is_numbered_heading("A. Proofs"));
  EXPECT_TRUE(
      is_numbered_heading("2 \xC3\x9C"
                          "bersicht"));  // Übersicht
  EXPECT_FALSE(is_numbered_heading("3 apples were eaten"));
  EXPECT_FALSE(is_numbered_heading("Introduction"));
  EXPECT_FALSE(is_numbered_heading("12"));
  EXPECT_FALSE(is_numbered_heading("In 2020 We"));
}

TEST(TextPatterns, PageNumbers) {
  EXPECT_TRUE(is_page_number("12"));
  EXPECT_TRUE(is_page_number("- 12 -"));
  EXPECT_TRUE(is_page_number("xiv"));
  EXPECT_TRUE(is_page_number("Page 3"));
  EXPECT_TRUE(is_page_number("Seite 7"));
  EXPECT_TRUE(is_page_number("3 / 10"));
  EXPECT_FALSE(is_page_number("Chapter 3"));
  EXPECT_FALSE(is_page_number(""));
  EXPECT_FALSE(is_page_number("1234567890123"));
  EXPECT_FALSE(is_page_number("3 apples"));
}

TEST(TextPatterns, MathSymbolShare) {
  EXPECT_FLOAT_EQ(math_symbol_share(""), 0.f);
  EXPECT_FLOAT_EQ(math_symbol_share("plain words"), 0.f);
  EXPECT_FLOAT_EQ(math_symbol_share("a=b"), 1.f / 3.f);
  // Greek letters count as one character each, not as their UTF-8 bytes.
  EXPECT_FLOAT_EQ(math_symbol_share("\xCE\xB1+\xCE\xB2"), 1.f);  // α+β
}

}  // namespace
}  // namespace docmill
