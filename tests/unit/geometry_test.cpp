#include <gtest/gtest.h>

#include "layout/geometry.h"

namespace docmill {
namespace {

TEST(NormalizeBox, WholePageIsZeroTo999) {
  EXPECT_EQ(normalize_box({0, 0, 595, 842}, 595, 842), (NormalizedBox{0, 0, 999, 999}));
}

TEST(NormalizeBox, RoundsToNearest) {
  // 100 / 595 * 999 = 167.9 -> 168; 200 / 842 * 999 = 237.3 -> 237; 300 / 595 * 999 = 503.7 -> 504;
  // 421 / 842 * 999 = 499.5 exactly in decimal, but not in float: accept either neighbour.
  const auto n = normalize_box({100, 200, 300, 421}, 595, 842);
  EXPECT_EQ(n.x0, 168);
  EXPECT_EQ(n.y0, 237);
  EXPECT_EQ(n.x1, 504);
  EXPECT_TRUE(n.y1 == 499 || n.y1 == 500) << n.y1;
}

TEST(NormalizeBox, RoundsSmallValuesUpAndDown) {
  // 0.4 pt of 999 pt is 0.4 -> 0; 0.6 pt -> 1: rounding, not truncation.
  const auto n = normalize_box({0.4f, 0.6f, 998.4f, 998.6f}, 999, 999);
  EXPECT_EQ(n, (NormalizedBox{0, 1, 998, 999}));
}

TEST(NormalizeBox, ClampsBoxesThatSpillOffThePage) {
  // Text layers report glyph boxes past the MediaBox; tags must still be 0-999.
  EXPECT_EQ(normalize_box({-20, -5, 700, 900}, 595, 842), (NormalizedBox{0, 0, 999, 999}));
}

TEST(NormalizeBox, ZeroSizedPageGivesZeroesNotNaN) {
  EXPECT_EQ(normalize_box({10, 10, 20, 20}, 0, 0), (NormalizedBox{0, 0, 0, 0}));
}

TEST(Box, SizesAndCentre) {
  const Box b{10, 20, 40, 100};
  EXPECT_FLOAT_EQ(b.width(), 30);
  EXPECT_FLOAT_EQ(b.height(), 80);
  EXPECT_FLOAT_EQ(b.area(), 2400);
  EXPECT_FLOAT_EQ(b.cx(), 25);
  EXPECT_FLOAT_EQ(b.cy(), 60);
  EXPECT_FALSE(b.empty());
  EXPECT_TRUE((Box{5, 5, 5, 10}).empty());
  EXPECT_FLOAT_EQ((Box{5, 5, 2, 10}).area(), 0) << "an inverted box has no area";
}

TEST(Box, UnitedIgnoresEmptyBoxes) {
  // Blocks grow from a default (empty) box: the union must not pull in the origin.
  const Box empty{};
  const Box b{10, 20, 30, 40};
  EXPECT_EQ(empty.united(b), b);
  EXPECT_EQ(b.united(empty), b);
  EXPECT_EQ(b.united({0, 30, 15, 50}), (Box{0, 20, 30, 50}));
}

TEST(Box, FractionInside) {
  const Box b{0, 0, 10, 10};
  EXPECT_FLOAT_EQ(b.fraction_inside({0, 0, 5, 10}), 0.5f);
  EXPECT_FLOAT_EQ(b.fraction_inside({20, 20, 30, 30}), 0.f);
  EXPECT_FLOAT_EQ(b.fraction_inside({-5, -5, 50, 50}), 1.f);
  EXPECT_FLOAT_EQ((Box{}).fraction_inside(b), 0.f);
}

}  // namespace
}  // namespace docmill
