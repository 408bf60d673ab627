#include "layout/figure_finder.h"

#include <gtest/gtest.h>

namespace docmill {
namespace {

constexpr float kW = 612, kH = 792;

// A plot: an axes frame, tick marks, and a curve and bars well inside it.
std::vector<Box> plot_at(float x, float y) {
  std::vector<Box> marks = {{x, y, x + 200, y + 150}};  // frame
  for (int i = 0; i < 6; ++i) marks.push_back({x + 30.f * i, y + 150, x + 30.f * i + 2, y + 155});
  marks.push_back({x + 20, y + 30, x + 180, y + 120});  // curve
  marks.push_back({x + 60, y + 80, x + 80, y + 150});   // bar
  return marks;
}

TEST(FigureFinder, ClusteredDrawingWithInkInsideIsAFigure) {
  const auto figs = find_figures({}, plot_at(100, 200), {}, kW, kH);
  ASSERT_EQ(figs.size(), 1u);
  EXPECT_NEAR(figs[0].x0, 100, 1);
  EXPECT_NEAR(figs[0].y1, 355, 1);
}

TEST(FigureFinder, EmptyFrameIsNotAFigure) {
  // Four rules around nothing, as a boxed listing draws them.
  const std::vector<Box> frame = {
      {100, 200, 400, 202}, {100, 300, 400, 302}, {100, 200, 102, 302}, {398, 200, 400, 302}};
  EXPECT_TRUE(find_figures({}, frame, {}, kW, kH).empty());
}

TEST(FigureFinder, ShadedBoxAroundTextIsNotAFigure) {
  auto marks = plot_at(100, 200);
  std::vector<TextLine> lines;
  for (int i = 0; i < 12; ++i) {
    TextLine l;
    l.box = {102, 202.f + 12.f * i, 298, 212.f + 12.f * i};
    lines.push_back(l);
  }
  EXPECT_TRUE(find_figures({}, marks, lines, kW, kH).empty());
}

TEST(FigureFinder, HairlinesAndTinyDrawingsAreIgnored) {
  const std::vector<Box> rules = {{50, 100, 560, 100.5f}, {50, 700, 560, 700.5f}, {10, 10, 14, 14}};
  EXPECT_TRUE(find_figures({}, rules, {}, kW, kH).empty());
}

TEST(FigureFinder, ImageInsideADrawnFigureJoinsIt) {
  const std::vector<Box> images = {{150, 250, 250, 300}};
  const auto figs = find_figures(images, plot_at(100, 200), {}, kW, kH);
  ASSERT_EQ(figs.size(), 1u);
  const std::vector<Box> elsewhere = {{300, 500, 500, 650}};
  EXPECT_EQ(find_figures(elsewhere, plot_at(100, 200), {}, kW, kH).size(), 2u);
}

}  // namespace
}  // namespace docmill
