#include <gtest/gtest.h>

#include "core/raster.h"

namespace docmill {
namespace {

// A w x h raster whose pixel (x, y) holds 10 * y + x, so every pixel says where it came from.
Raster numbered(int w, int h, int channels = 1) {
  Raster r{w, h, channels, {}};
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      for (int c = 0; c < channels; ++c)
        r.pixels.push_back(static_cast<std::uint8_t>(10 * y + x + c));
    }
  }
  return r;
}

std::uint8_t at(const Raster& r, int x, int y, int c = 0) {
  return r.pixels[static_cast<size_t>(y) * r.stride() + x * r.channels + c];
}

TEST(Crop, TakesTheHalfOpenRectangle) {
  const Raster r = numbered(5, 4);
  const Raster c = crop(r, 1, 1, 4, 3);
  ASSERT_EQ(c.width, 3);
  ASSERT_EQ(c.height, 2);
  EXPECT_EQ(at(c, 0, 0), 11);
  EXPECT_EQ(at(c, 2, 1), 23);
  EXPECT_EQ(c.pixels.size(), 6u);
}

TEST(Crop, ClampsToTheRaster) {
  // Figure boxes rounded outwards can reach past the render's edge.
  const Raster r = numbered(5, 4);
  const Raster c = crop(r, -3, 2, 99, 99);
  EXPECT_EQ(c.width, 5);
  EXPECT_EQ(c.height, 2);
  EXPECT_EQ(at(c, 0, 0), 20);
  EXPECT_EQ(at(c, 4, 1), 34);
}

TEST(Crop, OutsideOrInvertedGivesAnEmptyRaster) {
  const Raster r = numbered(5, 4);
  EXPECT_TRUE(crop(r, 10, 10, 20, 20).empty());
  EXPECT_TRUE(crop(r, 3, 3, 1, 1).empty());
}

TEST(Crop, KeepsChannels) {
  const Raster r = numbered(4, 3, 3);
  const Raster c = crop(r, 1, 1, 3, 2);
  EXPECT_EQ(c.channels, 3);
  EXPECT_EQ(c.pixels.size(), 6u);
  EXPECT_EQ(at(c, 0, 0, 2), 13);
}

TEST(RotateClockwise, NinetyMovesTheTopRowToTheRightColumn) {
  const Raster r = numbered(3, 2);  // rows: 0 1 2 / 10 11 12
  const Raster o = rotate_clockwise(r, 90);
  ASSERT_EQ(o.width, 2);
  ASSERT_EQ(o.height, 3);
  // Clockwise: the top-left pixel goes to the top-right, the top row becomes the right column.
  EXPECT_EQ(at(o, 1, 0), 0);
  EXPECT_EQ(at(o, 1, 2), 2);
  EXPECT_EQ(at(o, 0, 0), 10);
  EXPECT_EQ(at(o, 0, 2), 12);
}

TEST(RotateClockwise, OneEightyAndTwoSeventy) {
  const Raster r = numbered(3, 2);
  const Raster h = rotate_clockwise(r, 180);
  EXPECT_EQ(h.width, 3);
  EXPECT_EQ(at(h, 0, 0), 12);
  EXPECT_EQ(at(h, 2, 1), 0);
  const Raster t = rotate_clockwise(r, 270);
  ASSERT_EQ(t.width, 2);
  ASSERT_EQ(t.height, 3);
  // Counter-clockwise by 90: the top row becomes the left column, read bottom up.
  EXPECT_EQ(at(t, 0, 2), 0);
  EXPECT_EQ(at(t, 0, 0), 2);
  EXPECT_EQ(at(t, 1, 2), 10);
}

TEST(RotateClockwise, FourQuarterTurnsAndOppositeTurnsAreIdentity) {
  const Raster r = numbered(7, 5, 3);
  Raster o = r;
  for (int i = 0; i < 4; ++i) o = rotate_clockwise(o, 90);
  EXPECT_EQ(o.pixels, r.pixels);
  EXPECT_EQ(rotate_clockwise(rotate_clockwise(r, 90), 270).pixels, r.pixels);
  EXPECT_EQ(rotate_clockwise(r, -90).pixels, rotate_clockwise(r, 270).pixels);
}

TEST(RotateClockwise, OtherAnglesCopy) {
  const Raster r = numbered(3, 2);
  EXPECT_EQ(rotate_clockwise(r, 0).pixels, r.pixels);
  EXPECT_EQ(rotate_clockwise(r, 360).pixels, r.pixels);
  const Raster o = rotate_clockwise(r, 45);
  EXPECT_EQ(o.width, 3);
  EXPECT_EQ(o.pixels, r.pixels);
}

TEST(ToGray, LumaOfRgbAndGrayUnchanged) {
  Raster rgb{2, 1, 3, {255, 255, 255, 255, 0, 0}};
  const Raster g = to_gray(rgb);
  ASSERT_EQ(g.channels, 1);
  EXPECT_EQ(g.pixels[0], 255);
  EXPECT_EQ(g.pixels[1], 76);  // 0.299 * 255
  const Raster gray = numbered(3, 2);
  EXPECT_EQ(to_gray(gray).pixels, gray.pixels);
}

}  // namespace
}  // namespace docmill
