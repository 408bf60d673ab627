#include <gtest/gtest.h>

#include "ocr/noise_words.h"

namespace docmill {
namespace {

TEST(NoiseWords, ShortUnsureWordsAreNoise) {
  EXPECT_TRUE(is_likely_noise("eee", 31));
  EXPECT_TRUE(is_likely_noise("oe", 12));
  EXPECT_TRUE(is_likely_noise("a", 59.9f));
}

TEST(NoiseWords, ConfidentOrLongerWordsAreKept) {
  EXPECT_FALSE(is_likely_noise("the", 60));
  EXPECT_FALSE(is_likely_noise("cece", 10)) << "four characters are kept";
  EXPECT_FALSE(is_likely_noise("", 0));
}

TEST(NoiseWords, NumbersAreKept) {
  EXPECT_FALSE(is_likely_noise("143", 20));
  EXPECT_FALSE(is_likely_noise("7", 5));
}

TEST(NoiseWords, WordsWithOtherThanAsciiAreKept) {
  EXPECT_FALSE(is_likely_noise("f\xC3\xBCr", 30)) << "für";
  EXPECT_FALSE(is_likely_noise("\xE4\xB8\xAD", 30)) << "a one-character CJK word";
}

TEST(MarkLines, SpecksAndRulesReadAsCharactersAreDropped) {
  const auto line = [](Box box, std::string text) {
    TextLine l;
    l.box = box;
    l.text = std::move(text);
    return l;
  };
  std::vector<TextLine> lines = {
      line({100, 100, 900, 140}, "An ordinary line of body text"),
      line({100, 160, 900, 200}, "and another one below it"),
      line({500, 210, 508, 220}, "5"),             // a speck
      line({170, 300, 845, 330}, "3"),             // a rule
      line({100, 400, 130, 440}, "12"),            // a real short line: kept
      line({100, 460, 140, 500}, "\xe4\xb8\xad"),  // one CJK character: kept
  };
  drop_mark_lines(lines);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[2].text, "12");
}

}  // namespace
}  // namespace docmill
