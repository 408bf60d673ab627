#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "pipeline/read_method.h"
#include "support/synthetic_page.h"

namespace docmill {
namespace {

using testing::line_at;

constexpr PageSize kA4{595, 842};

// A text layer of `text`, one line per sentence, with chars counted as the PDF reader counts
// them (non-space characters) and `unmapped` of them without a Unicode mapping.
TextLayer layer_of(const std::vector<std::string>& lines, int unmapped = 0) {
  TextLayer layer;
  float y = 72;
  for (const auto& t : lines) {
    layer.lines.push_back(line_at(72, y, t));
    for (char c : t) layer.chars += c != ' ';
    y += 12;
  }
  layer.chars += unmapped;
  layer.unmapped_chars = unmapped;
  return layer;
}

const std::vector<std::string> kGoodText = {
    "The committee met on Tuesday to discuss the budget.",
    "Several members asked for more time to read the report.",
    "A final vote is planned for the next meeting in May."};

// What a poor OCR pass leaves as invisible text: consonant clusters and symbol soup.
const std::vector<std::string> kGarbage = {"Tlrn qwkz; brrt xcvb mnbv plkj",
                                           "%#@ zzxq ~~| hjkl wrtp sdfg",
                                           "vbnm ghjk trwq xzcv bnmk lkjh"};

TEST(ChooseReadMethod, NoTextMeansOcr) {
  EXPECT_EQ(choose_read_method(TextLayer{}, kA4, false), ReadMethod::kOcr);
}

TEST(ChooseReadMethod, AFewCharactersAreNotATextLayer) {
  // A scan with a stamped page number: too little text to stand for the page.
  EXPECT_EQ(choose_read_method(layer_of({"12"}), kA4, false), ReadMethod::kOcr);
}

TEST(ChooseReadMethod, GoodTextIsReadFromTheLayer) {
  EXPECT_EQ(choose_read_method(layer_of(kGoodText), kA4, false), ReadMethod::kTextLayer);
}

TEST(ChooseReadMethod, ForceOcrWins) {
  EXPECT_EQ(choose_read_method(layer_of(kGoodText), kA4, true), ReadMethod::kOcr);
}

TEST(ChooseReadMethod, UnmappedGlyphsMeanOcr) {
  // Fonts without a ToUnicode map: MuPDF reports U+FFFD or private-use code points.
  auto layer = layer_of(kGoodText);
  const int mapped = layer.chars;
  auto bad = layer_of(kGoodText, mapped);  // half the glyphs unmapped
  EXPECT_EQ(choose_read_method(bad, kA4, false), ReadMethod::kOcr);
  auto few = layer_of(kGoodText, 2);  // a stray symbol glyph or two is fine
  EXPECT_EQ(choose_read_method(few, kA4, false), ReadMethod::kTextLayer);
}

TEST(ChooseReadMethod, GarbageLayerMeansOcr) {
  EXPECT_EQ(choose_read_method(layer_of(kGarbage), kA4, false), ReadMethod::kOcr);
}

TEST(ChooseReadMethod, MostlyGoodTextOverAFullPageImageIsDistrusted) {
  // Three good lines and two of noise: about 70% word-like. Fine on a born-digital page; over a
  // page-sized image it is a poor OCR layer, and the page is OCR'd again.
  std::vector<std::string> mixed = kGoodText;
  mixed.push_back("brrt kljh grnt pwqs zxcv bnmk");
  mixed.push_back("trwq xzcv hjkl wrtp sdfg vbnm");
  auto layer = layer_of(mixed);
  ASSERT_GT(word_likeness(layer), 0.5f);
  ASSERT_LT(word_likeness(layer), 0.8f);
  EXPECT_EQ(choose_read_method(layer, kA4, false), ReadMethod::kTextLayer);
  layer.images.push_back({0, 0, 595, 842});
  EXPECT_EQ(choose_read_method(layer, kA4, false), ReadMethod::kOcr);
}

TEST(ChooseReadMethod, GoodOcrLayerOverAScanIsKept) {
  // A scan that was OCR'd well already: the invisible text is as good as ours would be.
  auto layer = layer_of(kGoodText);
  layer.images.push_back({-2, -2, 597, 844});
  EXPECT_EQ(choose_read_method(layer, kA4, false), ReadMethod::kTextLayer);
}

TEST(ChooseReadMethod, SmallFigureDoesNotMakeAPageAScan) {
  std::vector<std::string> mixed = kGoodText;
  mixed.push_back("brrt kljh grnt pwqs zxcv bnmk");
  mixed.push_back("trwq xzcv hjkl wrtp sdfg vbnm");
  auto layer = layer_of(mixed);
  layer.images.push_back({100, 300, 400, 500});
  EXPECT_EQ(choose_read_method(layer, kA4, false), ReadMethod::kTextLayer);
}

TEST(WordLikeness, CountsWordsThatLookLikeWords) {
  EXPECT_FLOAT_EQ(word_likeness(TextLayer{}), 0.f);
  EXPECT_FLOAT_EQ(word_likeness(layer_of(kGoodText)), 1.f);
  EXPECT_LT(word_likeness(layer_of(kGarbage)), 0.3f);
  // Numbers, short words and non-Latin scripts are words too.
  EXPECT_FLOAT_EQ(word_likeness(layer_of({"In 2024 we had 12 cats"})), 1.f);
  EXPECT_FLOAT_EQ(word_likeness(layer_of({"\xE4\xB8\xAD\xE6\x96\x87 \xCE\xB1\xCE\xB2"})), 1.f);
}

}  // namespace
}  // namespace docmill
