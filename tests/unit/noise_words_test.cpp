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

TEST(NoiseWords, CharactersNotBytesAreCounted) {
  // Three CJK characters are nine bytes: still short. Four are kept.
  EXPECT_TRUE(is_likely_noise("\xE4\xB8\xAD\xE6\x96\x87\xE5\xAD\x97", 30));
  EXPECT_FALSE(is_likely_noise("\xE4\xB8\xAD\xE6\x96\x87\xE5\xAD\x97\xE5\xAD\x97", 30));
}

}  // namespace
}  // namespace docmill
