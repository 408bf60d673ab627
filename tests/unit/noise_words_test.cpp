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

}  // namespace
}  // namespace docmill
