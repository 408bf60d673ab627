#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "layout/figure_text.h"
#include "layout/layout_analyzer.h"
#include "render/markdown.h"
#include "support/synthetic_page.h"

namespace docmill {
namespace {

using testing::column_at;
using testing::describe;
using testing::find_block;
using testing::line_at;
using testing::page_of;

const Box kPlot = {100, 200, 400, 400};

// A paragraph, a plot with its tick values, axis titles and legend, its caption, a paragraph.
std::vector<TextLine> page_with_plot() {
  std::vector<TextLine> lines =
      column_at(72, 100,
                {"The flux of the source rises with the wavelength over the band",
                 "that we observed, as the plot below shows for all the nights."});
  lines.push_back(line_at(300, 210, "Model A"));  // legend, inside
  lines.push_back(line_at(300, 224, "Model B"));
  lines.push_back(line_at(90, 300, "0.5"));          // tick value just left of the axes
  lines.push_back(line_at(200, 404, "Wavelength"));  // axis title just below
  lines.push_back(line_at(120, 380, "10"));
  lines.push_back(line_at(100, 430, "Figure 2: Flux of the source against wavelength."));
  for (auto& l : column_at(72, 460,
                           {"after the plot the text goes on with the discussion of the",
                            "results and what they mean for the models we tried."})) {
    lines.push_back(l);
  }
  return lines;
}

TEST(FigureText, LinesInAndBesideAFigureAreNotParagraphs) {
  const auto blocks = analyze_layout(page_of(page_with_plot(), {kPlot}));
  SCOPED_TRACE(describe(blocks));
  for (const auto& b : blocks) {
    if (b.label == Label::kImage) continue;
    EXPECT_EQ(b.text.find("Model A"), std::string::npos);
    EXPECT_EQ(b.text.find("Wavelength"), std::string::npos);
    EXPECT_NE(b.text, "0.5");
    EXPECT_NE(b.text, "10");
  }
  const int image = [&] {
    for (size_t i = 0; i < blocks.size(); ++i) {
      if (blocks[i].label == Label::kImage) return static_cast<int>(i);
    }
    return -1;
  }();
  ASSERT_GE(image, 0);
  EXPECT_NE(blocks[image].text.find("Model A"), std::string::npos) << "kept with the picture";
  const int caption = find_block(blocks, "Figure 2:");
  ASSERT_GE(caption, 0);
  EXPECT_EQ(blocks[caption].label, Label::kImageCaption);
  EXPECT_GE(find_block(blocks, "after the plot"), 0);
}

TEST(FigureText, ASentenceAtTheFiguresEdgeIsBodyText) {
  std::vector<TextLine> lines = page_with_plot();
  // A figure region found loosely reaches into the paragraph under it.
  lines.push_back(line_at(110, 392, "this line of the paragraph is read as running text here."));
  const auto blocks = analyze_layout(page_of(std::move(lines), {kPlot}));
  SCOPED_TRACE(describe(blocks));
  const int kept = find_block(blocks, "this line of the paragraph");
  ASSERT_GE(kept, 0);
  EXPECT_EQ(blocks[kept].label, Label::kText);
}

TEST(FigureText, OwnedLinesOnlyNearTheFigure) {
  const std::vector<TextLine> lines = {line_at(150, 250, "label"), line_at(150, 500, "far below")};
  const std::vector<Box> figures = {kPlot};
  const auto owner = figure_owned_lines(lines, figures, 10);
  EXPECT_EQ(owner, (std::vector<int>{0, -1}));
  EXPECT_EQ(figure_text(lines, owner, 0), "label");
}

TEST(FigureText, TheDetailedMarkdownKeepsAnImagesText) {
  Block image;
  image.label = Label::kImage;
  image.box = kPlot;
  image.image_index = 0;
  image.text = "Model A\nWavelength";
  PageResult page;
  page.width = 595;
  page.height = 842;
  page.method = ReadMethod::kTextLayer;
  page.blocks = {image};
  EXPECT_NE(page_markdown_det(page).find("<|/det|>\nModel A\nWavelength"), std::string::npos);
  EXPECT_EQ(page_markdown(page), "![](images/0_0.jpg)");
}

}  // namespace
}  // namespace docmill
