#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "layout/rule_marks.h"

namespace docmill {
namespace {

// An OCR line of words with their boxes, 10 pt high at y 100.
TextLine ocr_line(const std::vector<std::pair<std::string, float>>& words) {
  TextLine l;
  for (const auto& [w, x] : words) {
    const Box b{x, 100, x + 5.f * static_cast<float>(w.size()), 110};
    l.words.push_back(w);
    l.word_boxes.push_back(b);
    l.text += (l.text.empty() ? "" : " ") + w;
    l.box = l.word_boxes.size() == 1 ? b : l.box.united(b);
  }
  return l;
}

TEST(DropRuleMarks, AStrokeOnAVerticalRuleIsNotText) {
  // "THREE | FOUR": the table's rule at x = 151 runs through the "|".
  const std::vector<Box> rules{{150.5f, 80, 151.5f, 200}};
  auto lines = drop_rule_marks({ocr_line({{"THREE", 100}, {"|", 149}, {"FOUR", 160}})}, rules);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].text, "THREE FOUR");
  ASSERT_EQ(lines[0].word_boxes.size(), 2u);
  EXPECT_FLOAT_EQ(lines[0].word_boxes[1].x0, 160);
}

TEST(DropRuleMarks, TextAwayFromRulesAndWordsOnThemStay) {
  const std::vector<Box> rules{{150.5f, 80, 151.5f, 200}};
  // A "1" that is a figure, off the rule, stays; "Il" on the rule goes; a word the rule
  // happens to cross (a scan's crease) and a "|" where no rule is stay.
  auto lines =
      drop_rule_marks({ocr_line({{"1", 100}, {"Il", 149}, {"word", 150}, {"|", 300}})}, rules);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].text, "1 word |");
}

TEST(DropRuleMarks, ALargeGlyphsOwnStemIsNoRule) {
  // "Part I" in 40 pt type: the "I"'s stem is long enough to be found as a vertical rule, but
  // it ends where the word's box does.
  TextLine l = ocr_line({{"Part", 100}, {"I", 149}});
  l.word_boxes[1] = {149, 100, 155, 140};
  const std::vector<Box> stem{{151, 101, 153, 139}};
  EXPECT_EQ(drop_rule_marks({l}, stem).front().text, "Part I");
}

TEST(DropRuleMarks, ALineOfOnlyRuleMarksGoes) {
  const std::vector<Box> rules{{150.5f, 80, 151.5f, 200}};
  EXPECT_TRUE(drop_rule_marks({ocr_line({{"||", 149}})}, rules).empty());
  EXPECT_EQ(drop_rule_marks({ocr_line({{"||", 149}})}, {}).size(), 1u) << "no rules, no change";
}

}  // namespace
}  // namespace docmill
