// The render pixel budget and the blank-page ink test: pure functions of sizes and pixels.
#include <gtest/gtest.h>

#include <cmath>

#include "pipeline/blank_page.h"
#include "pipeline/page_limits.h"

namespace docmill {
namespace {

double pixels_at(PageSize s, double dpi) {
  return (std::ceil(s.width * dpi / 72.0) + 1) * (std::ceil(s.height * dpi / 72.0) + 1);
}

TEST(RenderBudget, PageWithinTheBudgetKeepsItsDpi) {
  EXPECT_EQ(dpi_within_budget({595, 842}, 300, PageLimits{}.max_render_pixels), 300);
  EXPECT_EQ(dpi_within_budget({595, 842}, 600, PageLimits{}.max_render_pixels), 600);
}

TEST(RenderBudget, HugePageGetsTheHighestDpiWithinTheBudget) {
  // 200 x 200 inches: 3.6 G pixels at 300 dpi.
  const PageSize huge{14400, 14400};
  const long long budget = PageLimits{}.max_render_pixels;
  const double dpi = dpi_within_budget(huge, 300, budget);
  ASSERT_GT(dpi, 0);
  EXPECT_LT(dpi, 300);
  EXPECT_LE(pixels_at(huge, dpi), static_cast<double>(budget));
  EXPECT_GT(pixels_at(huge, dpi + 1), static_cast<double>(budget)) << "not the highest: " << dpi;
}

TEST(RenderBudget, PageOfHundredsOfMetresGetsAFractionOfADpi) {
  // 14400 pt with UserUnit 75: 1,080,000 pt (381 m) a side.
  const PageSize giant{1'080'000, 1'080'000};
  const double dpi = dpi_within_budget(giant, 300, 50'000'000);
  ASSERT_GT(dpi, 0);
  EXPECT_LT(dpi, 1);
  EXPECT_LE(pixels_at(giant, dpi), 50e6);
  EXPECT_GT(pixels_at(giant, dpi + 0.01), 50e6);
}

TEST(RenderBudget, PageTooLargeForAHundredthOfADpiIsZero) {
  EXPECT_EQ(dpi_within_budget({1e9f, 1e9f}, 300, 1'000'000), 0);
}

Raster white(int w, int h, std::uint8_t value = 255) {
  Raster r{w, h, 1, {}};
  r.pixels.assign(static_cast<size_t>(w) * h, value);
  return r;
}

TEST(BlankPage, EvenTonesHaveNoInk) {
  EXPECT_FALSE(has_ink(white(298, 421)));
  EXPECT_FALSE(has_ink(white(298, 421, 200)));  // a tinted page
  Raster faint = white(100, 100);
  faint.pixels[5050] = 230;  // paper texture
  EXPECT_FALSE(has_ink(faint));
  EXPECT_FALSE(has_ink(Raster{}));
}

TEST(BlankPage, ADarkMarkIsInk) {
  Raster r = white(298, 421);
  r.pixels[421 * 10 + 50] = 120;  // one anti-aliased glyph pixel at 36 dpi
  EXPECT_TRUE(has_ink(r));
}

}  // namespace
}  // namespace docmill
