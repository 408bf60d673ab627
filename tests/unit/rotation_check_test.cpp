#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ocr/rotation_check.h"

namespace docmill {
namespace {

// A page of `lines` lines of `words` words each, read at `confidence`; horizontal lines (wide
// boxes) unless `vertical`.
OcrPage read_page(int lines, int words, float confidence, bool vertical = false) {
  OcrPage page;
  for (int i = 0; i < lines; ++i) {
    TextLine line;
    const float y = 100.f + 50.f * static_cast<float>(i);
    line.box = vertical ? Box{y, 100, y + 40, 1100} : Box{100, y, 1100, y + 40};
    for (int w = 0; w < words; ++w) line.words.push_back("word");
    page.lines.push_back(std::move(line));
  }
  page.mean_confidence = confidence;
  return page;
}

TEST(ReadsUpright, AConfidentlyReadPageOfHorizontalLinesIsUpright) {
  EXPECT_TRUE(reads_upright(read_page(10, 8, 93)));
}

TEST(ReadsUpright, AnUpsideDownReadingIsNot) {
  // Tesseract reads print upside down at 30–60.
  EXPECT_FALSE(reads_upright(read_page(10, 8, 38)));
}

TEST(ReadsUpright, ASidewaysPageReadAsVerticalLinesIsNot) {
  // Tesseract turns a sideways page's lines itself and reads them at 90 and more: only their
  // shape shows the page lies on its side.
  EXPECT_FALSE(reads_upright(read_page(10, 8, 92, true)));
  OcrPage mixed = read_page(18, 5, 92);
  for (const auto& line : read_page(2, 5, 92, true).lines) mixed.lines.push_back(line);
  EXPECT_TRUE(reads_upright(mixed)) << "two turned column heads in twenty lines";
}

TEST(ReadsUpright, ASparsePageSaysNothing) {
  EXPECT_FALSE(reads_upright(read_page(2, 4, 95)));
  EXPECT_FALSE(reads_upright(OcrPage{}));
}

TEST(ReadsUpright, OneWordLinesHaveNoShapeToJudge) {
  // A column of single words in a large font has tall boxes, yet stands upright.
  EXPECT_TRUE(reads_upright(read_page(40, 1, 90, true)));
}

TEST(DecideRotation, UnsureOsdDoesNotTurn) {
  RotationReport r;
  r.proposed = 180;
  r.osd_confidence = 1.2f;
  EXPECT_EQ(decide_rotation(r), 0);
  EXPECT_EQ(r.applied, 0);
  EXPECT_NE(r.reason.find("unsure"), std::string::npos) << r.reason;
}

TEST(DecideRotation, ConfidentOsdTurnsWhenTheStripReadsBetterTurned) {
  RotationReport r;
  r.proposed = 180;
  r.osd_confidence = 8;
  r.strip_confidence_as_is = 35;
  r.strip_confidence_turned = 91;
  EXPECT_EQ(decide_rotation(r), 180);
  EXPECT_EQ(r.applied, 180);
}

TEST(DecideRotation, UpsideDownIsNotTurnedWhenTheStripReadsNoBetter) {
  RotationReport r;
  r.proposed = 180;
  r.osd_confidence = 8;
  r.strip_confidence_as_is = 60;
  r.strip_confidence_turned = 64;
  EXPECT_EQ(decide_rotation(r), 0);
  EXPECT_NE(r.reason.find("no better"), std::string::npos) << r.reason;
  r.strip_confidence_turned.reset();
  EXPECT_EQ(decide_rotation(r), 0);
}

TEST(DecideRotation, AQuarterTurnNeedsOnlyToReadAsWellTurned) {
  // Tesseract reads a sideways strip's vertical lines by itself: as it is reads nearly as well.
  RotationReport r;
  r.proposed = 270;
  r.osd_confidence = 16;
  r.strip_confidence_as_is = 93;
  r.strip_confidence_turned = 95;
  EXPECT_EQ(decide_rotation(r), 270);
  r.strip_confidence_turned = 80;
  EXPECT_EQ(decide_rotation(r), 0) << "clearly worse turned";
}

TEST(DecideRotation, AStripThatReadsPoorlyTurnedIsNoEvidence) {
  // A handwritten page: OSD guesses, OCR reads badly either way.
  RotationReport r;
  r.proposed = 90;
  r.osd_confidence = 5;
  r.strip_confidence_as_is = 30;
  r.strip_confidence_turned = 45;
  EXPECT_EQ(decide_rotation(r), 0);
  EXPECT_NE(r.reason.find("poorly"), std::string::npos) << r.reason;
}

TEST(InkStrip, TakesTheDarkestBand) {
  Raster r{100, 600, 1, std::vector<std::uint8_t>(100 * 600, 255)};
  for (int y = 400; y < 450; ++y) {
    for (int x = 10; x < 90; ++x) r.pixels[static_cast<size_t>(y) * 100 + x] = 0;
  }
  const Raster strip = ink_strip(r);
  EXPECT_EQ(strip.height, 100);
  EXPECT_EQ(strip.width, 100);
  long dark = 0;
  for (auto p : strip.pixels) dark += p < 128;
  EXPECT_EQ(dark, 50 * 80);
}

}  // namespace
}  // namespace docmill
