#include <gtest/gtest.h>

#include "ocr/rotation_check.h"
#include "pipeline/scan_resolution.h"

namespace docmill {
namespace {

constexpr PageSize kLetter{612, 792};

PageImage gray(float ppi) {
  return {ppi, false};
}

TEST(PageImagePpi, APageSizedImageHasItsResolution) {
  // 8.5 x 11 in at 200 ppi.
  const auto image = page_image({{{0, 0, 612, 792}, 1700, 2200}}, kLetter);
  ASSERT_TRUE(image);
  EXPECT_NEAR(image->ppi, 200, 0.5);
  EXPECT_FALSE(image->bilevel);
}

TEST(PageImagePpi, ATurnedImageHasTheSameResolution) {
  const auto image = page_image({{{0, 0, 612, 792}, 2200, 1700}}, kLetter);
  ASSERT_TRUE(image);
  EXPECT_NEAR(image->ppi, 200, 0.5);
}

TEST(PageImagePpi, ASmallImageIsNotThePage) {
  EXPECT_FALSE(page_image({{{72, 72, 300, 300}, 1000, 1000}}, kLetter));
  EXPECT_FALSE(page_image({}, kLetter));
}

TEST(PageImagePpi, ABilevelScanSaysSo) {
  const auto image = page_image({{{0, 0, 612, 792}, 2550, 3300, true}}, kLetter);
  ASSERT_TRUE(image);
  EXPECT_TRUE(image->bilevel);
}

TEST(OcrRenderDpi, VectorPagesUseTheRequest) {
  EXPECT_EQ(ocr_render_dpi(std::nullopt, 300), 300);
  EXPECT_EQ(ocr_render_dpi(std::nullopt, 150), 150);
}

TEST(OcrRenderDpi, LowResolutionScansAreUpsampledTo300) {
  EXPECT_EQ(ocr_render_dpi(gray(200), 300), 300);
  EXPECT_EQ(ocr_render_dpi(gray(72), 100), 300);
  EXPECT_EQ(ocr_render_dpi(gray(200), 150), 300);
}

TEST(OcrRenderDpi, ScansAreReadAtTheirOwnResolution) {
  EXPECT_EQ(ocr_render_dpi(gray(300), 300), 300);
  EXPECT_EQ(ocr_render_dpi(gray(302.5f), 300), 300) << "within 3% of the request";
  EXPECT_EQ(ocr_render_dpi(gray(400), 300), 400);
  EXPECT_EQ(ocr_render_dpi(gray(1200), 300), 600) << "never above 600";
}

TEST(OcrRenderDpi, ABilevelScanIsDrawnAtExactlyItsOwnResolution) {
  // One pixel of the render per pixel of the scan: black and white, nothing in between.
  EXPECT_EQ(ocr_render_dpi(PageImage{302.5f, true}, 300), 302.5f);
  EXPECT_EQ(ocr_render_dpi(PageImage{400.4f, true}, 300), 400.4f);
  EXPECT_EQ(ocr_render_dpi(PageImage{1200, true}, 300), 600) << "never above 600";
  EXPECT_EQ(ocr_render_dpi(PageImage{290, true}, 300), 300) << "the request is the floor";
  EXPECT_EQ(ocr_render_dpi(PageImage{200, true}, 300), 300) << "a fax is upsampled in gray";
}

TEST(OcrRenderDpi, TheRequestIsTheFloor) {
  EXPECT_EQ(ocr_render_dpi(gray(400), 500), 500);
  EXPECT_EQ(ocr_render_dpi(gray(300), 600), 600);
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
