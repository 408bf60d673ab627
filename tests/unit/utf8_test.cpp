// valid_utf8: what reaches JSON, markdown and the database is always valid UTF-8.
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "core/utf8.h"

namespace docmill {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

TEST(ValidUtf8, ValidTextIsUnchanged) {
  for (const std::string s :
       {"", "plain ASCII",
        "Gr\xC3\xBC\xC3\x9F"
        "e",
        "\xE4\xB8\xAD\xE6\x96\x87", "\xF0\x9F\x98\x80 emoji", "\xEF\xBF\xBD already replaced"}) {
    EXPECT_EQ(valid_utf8(s), s);
  }
}

TEST(ValidUtf8, InvalidBytesBecomeReplacementCharacters) {
  EXPECT_EQ(valid_utf8("a\xFF"
                       "b"),
            "a" + kFffd + "b");
  EXPECT_EQ(valid_utf8("\x80\x80"), kFffd + kFffd);  // stray continuation bytes
  EXPECT_EQ(valid_utf8("x\xC3"), "x" + kFffd);       // cut off at the end
  EXPECT_EQ(valid_utf8("\xC3x"), kFffd + "x");       // lead byte without its continuation
  EXPECT_EQ(valid_utf8("\xC0\xAF"), kFffd + kFffd);  // overlong '/'
  EXPECT_EQ(valid_utf8("\xE0\x80\xAF"), kFffd + kFffd + kFffd);  // overlong, three bytes
  EXPECT_EQ(valid_utf8("\xF4\x90\x80\x80"), kFffd + kFffd + kFffd + kFffd);  // past U+10FFFF
  std::string five;
  for (int i = 0; i < 5; ++i) five += kFffd;
  EXPECT_EQ(valid_utf8("\xF8\x88\x80\x80\x80"), five);  // five-byte forms are not UTF-8
}

TEST(ValidUtf8, GoodSequenceAfterABadByteIsKept) {
  EXPECT_EQ(valid_utf8("\xE4\xB8"
                       "\xC3\xBC"),
            kFffd + kFffd + "\xC3\xBC");
}

TEST(ValidUtf8, LoneSurrogatesAreDropped) {
  EXPECT_EQ(valid_utf8("a\xED\xA0\x80"
                       "b"),
            "ab");                                        // U+D800
  EXPECT_EQ(valid_utf8("\xED\xBF\xBF"), "");              // U+DFFF
  EXPECT_EQ(valid_utf8("\xED\x9F\xBF"), "\xED\x9F\xBF");  // U+D7FF is a real character
}

TEST(ValidUtf8, CesuEncodedSurrogatePairsAreDropped) {
  // U+1F600 written as two three-byte surrogates (CESU-8), as a naive encoder does.
  EXPECT_EQ(valid_utf8("x\xED\xA0\xBD\xED\xB8\x80y"), "xy");
}

TEST(ValidUtf8, NulIsDropped) {
  EXPECT_EQ(valid_utf8(std::string("a\0b", 3)), "ab");
}

TEST(ValidUtf8, ResultAlwaysDumpsAsJson) {
  // Every byte value at every position of a short string: the JSON encoder must never throw.
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; b += 7) {
      std::string s{static_cast<char>(a), static_cast<char>(b), '\xED', static_cast<char>(a)};
      nlohmann::json j = valid_utf8(s);
      EXPECT_NO_THROW((void)j.dump()) << a << " " << b;
    }
  }
}

}  // namespace
}  // namespace docmill
