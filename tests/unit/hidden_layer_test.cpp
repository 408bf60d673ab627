#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pdf/hidden_text.h"
#include "pipeline/hidden_layer.h"
#include "support/synthetic_page.h"

namespace docmill {
namespace {

using testing::line_at;

constexpr PageSize kA4{595, 842};

std::vector<TextLine> lines_of(const std::vector<std::string>& texts) {
  std::vector<TextLine> lines;
  float y = 72;
  for (const auto& t : texts) {
    lines.push_back(line_at(72, y, t));
    y += 12;
  }
  return lines;
}

TEST(HiddenOcrLayer, InvisibleTextOverAPageImageIsOne) {
  TextLayer layer;
  layer.invisible_glyphs = 500;
  layer.painted_glyphs = 10;
  layer.placed_images = {{{0, 0, 595, 842}, 2480, 3508}};
  EXPECT_TRUE(has_hidden_ocr_layer(layer, kA4));
}

TEST(HiddenOcrLayer, PaintedTextIsNot) {
  TextLayer layer;
  layer.invisible_glyphs = 100;
  layer.painted_glyphs = 400;
  layer.placed_images = {{{0, 0, 595, 842}, 2480, 3508}};
  EXPECT_FALSE(has_hidden_ocr_layer(layer, kA4));
}

TEST(HiddenOcrLayer, InvisibleTextWithoutAPageImageIsNot) {
  TextLayer layer;
  layer.invisible_glyphs = 500;
  layer.placed_images = {{{72, 72, 200, 200}, 300, 300}};
  EXPECT_FALSE(has_hidden_ocr_layer(layer, kA4));
}

TEST(HiddenOcrLayer, AFewInvisibleGlyphsAreNot) {
  TextLayer layer;
  layer.invisible_glyphs = 5;
  layer.placed_images = {{{0, 0, 595, 842}, 2480, 3508}};
  EXPECT_FALSE(has_hidden_ocr_layer(layer, kA4));
}

TEST(HiddenLayerQuality, ProseReadsLikeWords) {
  const auto lines = lines_of({"The harbour was quiet in the early morning, and the boats",
                               "came back in 1921 with Mr. Smith's nets full of herring."});
  EXPECT_GT(hidden_layer_quality(lines), 0.95f);
}

TEST(HiddenLayerQuality, GarbageDoesNot) {
  const auto lines = lines_of({"Tlie hrbnr wzs qxkt 1n tbe eqrly rnorniug, aud tl1e hoats",
                               "cqme hxck iu l92l wjth Mr. Snnth'5 ncts fnll 0f hcrrinq."});
  EXPECT_LT(hidden_layer_quality(lines), 0.75f);
}

TEST(HiddenLayerQuality, NoWordsIsZero) {
  EXPECT_EQ(hidden_layer_quality({}), 0.f);
  EXPECT_EQ(hidden_layer_quality(lines_of({"... --- ..."})), 0.f);
}

TEST(JudgeHiddenLayer, AutoKeepsGoodAndRedoesPoorLayers) {
  const auto good = lines_of({"The harbour was quiet in the early morning light."});
  const auto poor = lines_of({"Tlie hrbnr wzs qxkt 1n tbe eqrly rnorniug l1ght."});
  const auto kept = judge_hidden_layer(OcrExisting::kAuto, good);
  EXPECT_TRUE(kept.kept);
  EXPECT_NE(kept.reason.find("read like words"), std::string::npos) << kept.reason;
  const auto redone = judge_hidden_layer(OcrExisting::kAuto, poor);
  EXPECT_FALSE(redone.kept);
  EXPECT_LT(redone.quality, 0.75f);
}

TEST(JudgeHiddenLayer, KeepAndRedoIgnoreQuality) {
  const auto good = lines_of({"The harbour was quiet in the early morning light."});
  const auto poor = lines_of({"Tlie hrbnr wzs qxkt 1n tbe eqrly rnorniug l1ght."});
  EXPECT_TRUE(judge_hidden_layer(OcrExisting::kKeep, poor).kept);
  EXPECT_FALSE(judge_hidden_layer(OcrExisting::kRedo, good).kept);
  EXPECT_EQ(judge_hidden_layer(OcrExisting::kRedo, good).reason, "ocr_existing is redo");
}

TEST(LinesFromPositions, WordsScatteredOverLinesAreRegroupedByRow) {
  // The content stream wrote each word as its own line, out of order, in a monospace font.
  std::vector<TextLine> scattered;
  const auto word = [&](float x, float y, const char* w) {
    TextLine l = line_at(x, y, w, 12);
    l.monospace = true;
    l.bold = true;
    scattered.push_back(l);
  };
  word(108, 100, "world");
  word(72, 130, "second");
  word(72, 100, "hello");
  word(114, 130, "row");
  auto lines = lines_from_positions(scattered);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].text, "hello world");
  EXPECT_EQ(lines[1].text, "second row");
  for (const auto& l : lines) {
    EXPECT_FALSE(l.monospace);
    EXPECT_FALSE(l.bold);
    EXPECT_FALSE(l.italic);
    EXPECT_NEAR(l.size, 14.4, 0.5) << "the words' own height";
    EXPECT_EQ(l.words.size(), l.word_boxes.size());
  }
  EXPECT_NEAR(lines[0].box.x0, 72, 0.5);
}

TEST(LinesFromPositions, AColumnGutterSplitsARow) {
  std::vector<TextLine> in = {line_at(72, 100, "left column text"),
                              line_at(312, 100, "right column text")};
  // One stext line spanning both columns, as a hidden layer's line may be.
  TextLine joined = in[0];
  joined.words.insert(joined.words.end(), in[1].words.begin(), in[1].words.end());
  joined.word_boxes.insert(joined.word_boxes.end(), in[1].word_boxes.begin(),
                           in[1].word_boxes.end());
  auto lines = lines_from_positions({joined});
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].text, "left column text");
  EXPECT_EQ(lines[1].text, "right column text");
}

}  // namespace
}  // namespace docmill
