#include <gtest/gtest.h>

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

}  // namespace
}  // namespace docmill
