#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "layout/geometry.h"
#include "render/label_colors.h"
#include "render/markdown.h"

namespace docmill {
namespace {

Block block(Label label, std::string text, Box box = {59.5f, 84.2f, 535.5f, 168.4f},
            int heading_level = 0, int image_index = -1) {
  Block b;
  b.label = label;
  b.text = std::move(text);
  b.box = box;
  b.heading_level = heading_level;
  b.image_index = image_index;
  return b;
}

PageResult page(int index, std::vector<Block> blocks) {
  PageResult p;
  p.page_index = index;
  p.width = 595;
  p.height = 842;
  p.method = ReadMethod::kTextLayer;
  p.blocks = std::move(blocks);
  return p;
}

TEST(ImageFileName, PageUnderscoreIndexJpg) {
  EXPECT_EQ(image_file_name(0, 0), "0_0.jpg");
  EXPECT_EQ(image_file_name(3, 12), "3_12.jpg");
}

TEST(BlockMarkdown, HeadingsGetHashesByLevel) {
  EXPECT_EQ(block_markdown(block(Label::kTitle, "Title", {}, 1), 0), "# Title");
  EXPECT_EQ(block_markdown(block(Label::kSubTitle, "1 Introduction", {}, 2), 0),
            "## 1 Introduction");
  EXPECT_EQ(block_markdown(block(Label::kSubTitle, "1.2.3 Deep", {}, 4), 0), "#### 1.2.3 Deep");
  // A heading without a level still renders as one; markdown stops at six.
  EXPECT_EQ(block_markdown(block(Label::kSubTitle, "Odd", {}, 0), 0), "# Odd");
  EXPECT_EQ(block_markdown(block(Label::kSubTitle, "Deeper", {}, 9), 0), "###### Deeper");
}

TEST(BlockMarkdown, ImagesLinkTheirFileByPageAndIndex) {
  EXPECT_EQ(block_markdown(block(Label::kImage, "", {}, 0, 1), 2), "![](images/2_1.jpg)");
  EXPECT_EQ(block_markdown(block(Label::kImage, "", {}, 0, 0), 0), "![](images/0_0.jpg)");
}

TEST(BlockMarkdown, EquationsCodeAndText) {
  EXPECT_EQ(block_markdown(block(Label::kEquation, "E = mc^2"), 0), "$$\nE = mc^2\n$$");
  EXPECT_EQ(block_markdown(block(Label::kCode, "int x;\nx++;"), 0), "```\nint x;\nx++;\n```");
  EXPECT_EQ(block_markdown(block(Label::kText, "Plain paragraph."), 0), "Plain paragraph.");
  EXPECT_EQ(block_markdown(block(Label::kList, "- one\n- two"), 0), "- one\n- two");
  EXPECT_EQ(block_markdown(block(Label::kTable, "| a | b |\n| --- | --- |"), 0),
            "| a | b |\n| --- | --- |");
}

TEST(GroundingTag, ExactDeepSeekFormatWithNormalisedCoordinates) {
  // 59.5 / 595 * 999 = 99.9, 84.2 / 842 * 999 = 99.9, 535.5 / 595 * 999 = 899.1,
  // 168.4 / 842 * 999 = 199.8.
  const Block b = block(Label::kText, "x");
  EXPECT_EQ(grounding_tag(b, 595, 842), "<|ref|>text<|/ref|><|det|>[[100, 100, 899, 200]]<|/det|>");
  const Block t = block(Label::kSubTitle, "x", {0, 0, 595, 842});
  EXPECT_EQ(grounding_tag(t, 595, 842),
            "<|ref|>sub_title<|/ref|><|det|>[[0, 0, 999, 999]]<|/det|>");
}

TEST(GroundingTag, EveryLabelUsesTheApiVocabulary) {
  const std::regex tag(
      R"(<\|ref\|>([a-z_]+)<\|/ref\|><\|det\|>\[\[(\d+), (\d+), (\d+), (\d+)\]\]<\|/det\|>)");
  for (int i = 0; i <= static_cast<int>(Label::kPageNumber); ++i) {
    const auto label = static_cast<Label>(i);
    const std::string s = grounding_tag(block(label, "x"), 595, 842);
    std::smatch m;
    ASSERT_TRUE(std::regex_match(s, m, tag)) << s;
    EXPECT_EQ(m[1].str(), to_string(label));
    for (int k = 2; k <= 5; ++k) {
      const int v = std::stoi(m[k].str());
      EXPECT_GE(v, 0);
      EXPECT_LE(v, 999);
    }
  }
}

TEST(Labels, NamesRoundTripAndUnknownIsRejected) {
  const std::vector<std::string> names = {
      "title", "sub_title",     "text",     "list", "table",  "table_caption", "table_footnote",
      "image", "image_caption", "equation", "code", "header", "footer",        "page_number"};
  for (const auto& n : names) {
    const auto l = parse_label(n);
    ASSERT_TRUE(l) << n;
    EXPECT_EQ(to_string(*l), n);
  }
  EXPECT_FALSE(parse_label("paragraph"));
  EXPECT_FALSE(parse_label(""));
  for (auto m : {ReadMethod::kTextLayer, ReadMethod::kOcr, ReadMethod::kFailed}) {
    EXPECT_EQ(parse_read_method(to_string(m)), m);
  }
  EXPECT_EQ(to_string(ReadMethod::kTextLayer), "text_layer");
  EXPECT_EQ(to_string(ReadMethod::kOcr), "ocr");
  EXPECT_FALSE(parse_read_method("tesseract"));
}

TEST(LabelColors, OneDistinctColourPerLabel) {
  std::vector<std::array<float, 3>> seen;
  for (int i = 0; i <= static_cast<int>(Label::kPageNumber); ++i) {
    const auto c = label_color(static_cast<Label>(i));
    for (float v : c) {
      EXPECT_GE(v, 0.f);
      EXPECT_LE(v, 1.f);
    }
    for (const auto& s : seen) EXPECT_NE(s, c) << "label " << i << " shares a colour";
    seen.push_back(c);
  }
}

TEST(PageMarkdown, LeavesOutHeadersFootersAndPageNumbers) {
  const PageResult p =
      page(0, {block(Label::kHeader, "Journal of Tests 2024"),
               block(Label::kTitle, "A Title", {}, 1), block(Label::kText, "Body text."),
               block(Label::kFooter, "Preprint, do not cite"), block(Label::kPageNumber, "7")});
  EXPECT_EQ(page_markdown(p), "# A Title\n\nBody text.");
}

TEST(PageMarkdownDet, TagsEveryBlockIncludingPageFurniture) {
  const PageResult p = page(0, {block(Label::kHeader, "Journal of Tests 2024"),
                                block(Label::kText, "Body text."), block(Label::kPageNumber, "7")});
  const std::string det = page_markdown_det(p);
  const std::string tag = "<|det|>[[100, 100, 899, 200]]<|/det|>";
  EXPECT_EQ(det, "<|ref|>header<|/ref|>" + tag + "\nJournal of Tests 2024\n\n" +
                     "<|ref|>text<|/ref|>" + tag + "\nBody text.\n\n" +
                     "<|ref|>page_number<|/ref|>" + tag + "\n7");
}

TEST(PageMarkdownDet, ImageBlocksAreATagWithoutContent) {
  // API.md: the image's tag stands alone in markdown_det; markdown gets the link instead.
  const PageResult p = page(1, {block(Label::kImage, "", {0, 0, 595, 420}, 0, 0),
                                block(Label::kImageCaption, "Figure 1: A map.")});
  const std::string det = page_markdown_det(p);
  EXPECT_EQ(det.find("![]"), std::string::npos) << det;
  EXPECT_EQ(det.find("<|ref|>image<|/ref|><|det|>[[0, 0, 999, 498]]<|/det|>\n\n"), 0u) << det;
  EXPECT_NE(det.find("<|ref|>image_caption<|/ref|>"), std::string::npos);
  EXPECT_EQ(page_markdown(p), "![](images/1_0.jpg)\n\nFigure 1: A map.");
}

TEST(PageMarkdown, FailedPageIsMarkedWithItsReason) {
  PageResult p = page(4, {});
  p.method = ReadMethod::kFailed;
  p.error = "cannot draw the page: broken image";
  for (const std::string& md : {page_markdown(p), page_markdown_det(p)}) {
    EXPECT_NE(md.find("Page 5"), std::string::npos) << "1-based, as people count: " << md;
    EXPECT_NE(md.find("broken image"), std::string::npos) << md;
  }
}

TEST(DocumentMarkdown, PagesJoinedByTheSplitLine) {
  const std::vector<PageResult> pages = {page(0, {block(Label::kText, "One.")}),
                                         page(1, {block(Label::kText, "Two.")}),
                                         page(2, {block(Label::kText, "Three.")})};
  EXPECT_EQ(document_markdown(pages),
            "One.\n\n<--- Page Split --->\n\nTwo.\n\n<--- Page Split --->\n\nThree.");
  const std::string det = document_markdown_det(pages);
  size_t splits = 0;
  for (size_t at = det.find(kPageSplit); at != std::string::npos;
       at = det.find(kPageSplit, at + 1)) {
    ++splits;
  }
  EXPECT_EQ(splits, 2u);
  EXPECT_EQ(document_markdown(std::span<const PageResult>{}), "");
  EXPECT_EQ(document_markdown(std::span(pages).first(1)), "One.");
}

TEST(DocumentMarkdown, AnEmptyPageKeepsItsPlace) {
  // A blank page between two others: two split lines, so page numbers still line up.
  const std::vector<PageResult> pages = {page(0, {block(Label::kText, "One.")}), page(1, {}),
                                         page(2, {block(Label::kText, "Three.")})};
  EXPECT_EQ(document_markdown(pages),
            "One.\n\n<--- Page Split --->\n\n\n\n<--- Page Split --->\n\nThree.");
}

}  // namespace
}  // namespace docmill
