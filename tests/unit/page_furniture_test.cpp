#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "layout/contents_entries.h"
#include "layout/layout_analyzer.h"
#include "layout/running_furniture.h"
#include "layout/section_numbers.h"
#include "layout/text_patterns.h"
#include "render/markdown.h"
#include "support/synthetic_page.h"

namespace docmill {
namespace {

using testing::column_at;
using testing::describe;
using testing::find_block;
using testing::line_at;
using testing::page_of;

const std::vector<std::string_view> kBody = {
    "The survey team walked the northern ridge",  "and counted every nest they could find in",
    "the tall grass along the old stone walls.",  "Each nest was marked on the map with its",
    "height above the valley floor and the date", "of the visit, so that later teams could",
    "return to the same places every spring.",
};

std::vector<TextLine> body_at(float y) {
  return column_at(72, y, kBody);
}

PageResult result_of(const std::vector<Block>& blocks, int index = 0) {
  PageResult p;
  p.page_index = index;
  p.width = 595;
  p.height = 842;
  p.method = ReadMethod::kTextLayer;
  p.blocks = blocks;
  return p;
}

std::vector<Block> layout(std::vector<TextLine> lines) {
  return analyze_layout(page_of(std::move(lines)));
}

TEST(PageNumberPattern, PageOfPages) {
  EXPECT_TRUE(is_page_number("Page 3 of 10"));
  EXPECT_TRUE(is_page_number("3 of 10"));
  EXPECT_TRUE(is_page_number("2 von 2"));
  EXPECT_FALSE(is_page_number("3 of the samples"));
  EXPECT_FALSE(is_page_number("Chapter 3 of 10"));
}

TEST(PageFurniture, HeaderWithPageNumberSetApartAtBodySize) {
  auto lines = body_at(100);
  lines.push_back(line_at(72, 40, "Chapter 2: Structures", 10));
  lines.push_back(line_at(500, 40, "3", 10));
  const auto blocks = layout(std::move(lines));
  SCOPED_TRACE(describe(blocks));
  const int header = find_block(blocks, "Chapter 2");
  ASSERT_GE(header, 0);
  EXPECT_EQ(blocks[header].label, Label::kHeader);
  EXPECT_EQ(page_markdown(result_of(blocks)).find("Chapter 2"), std::string::npos);
}

TEST(PageFurniture, PageOfPagesAtTheBottomIsAPageNumber) {
  auto lines = body_at(100);
  lines.push_back(line_at(280, 760, "2 von 2", 10));
  const auto blocks = layout(std::move(lines));
  SCOPED_TRACE(describe(blocks));
  const int number = find_block(blocks, "2 von 2");
  ASSERT_GE(number, 0);
  EXPECT_EQ(blocks[number].label, Label::kPageNumber);
}

TEST(PageFurniture, PageNumberBelowContentReachingIntoTheBand) {
  auto lines = body_at(100);
  lines.push_back(line_at(72, 770, "Summary of the results", 14, true));
  lines.push_back(line_at(290, 780, "4", 10));
  const auto blocks = layout(std::move(lines));
  SCOPED_TRACE(describe(blocks));
  EXPECT_EQ(blocks[find_block(blocks, "Summary of")].label, Label::kSubTitle);
  const int number = find_block(blocks, "4");
  ASSERT_GE(number, 0);
  EXPECT_EQ(blocks[number].label, Label::kPageNumber);
}

TEST(PageFurniture, StackedNumbersAtTheTopAreFurniture) {
  auto lines = body_at(200);
  for (int i = 0; i < 4; ++i)
    lines.push_back(line_at(290, 10 + 14.f * i, std::to_string(20 - 5 * i), 6));
  const auto blocks = layout(std::move(lines));
  SCOPED_TRACE(describe(blocks));
  EXPECT_EQ(page_markdown(result_of(blocks)).find("15"), std::string::npos);
}

TEST(PageFurniture, SmallerLineAtTheTopIsAHeader) {
  auto lines = body_at(100);
  lines.push_back(line_at(72, 40, "Journal of Field Studies", 8));
  const auto blocks = layout(std::move(lines));
  SCOPED_TRACE(describe(blocks));
  EXPECT_EQ(blocks[find_block(blocks, "Journal of Field")].label, Label::kHeader);
}

TEST(PageFurniture, SplitJournalLineAtTheBottomIsAFooter) {
  auto lines = body_at(100);
  lines.push_back(line_at(72, 790, "Preprint submitted to Nature", 8));
  lines.push_back(line_at(225, 790, "June 8, 2018", 8));
  const auto blocks = layout(std::move(lines));
  SCOPED_TRACE(describe(blocks));
  EXPECT_EQ(blocks[find_block(blocks, "Preprint submitted")].label, Label::kFooter);
  EXPECT_EQ(blocks[find_block(blocks, "June 8")].label, Label::kFooter);
}

TEST(PageFurniture, MarginLineNumbersAreLeftOut) {
  auto lines = body_at(100);
  for (int i = 0; i < static_cast<int>(kBody.size()); ++i) {
    lines.push_back(line_at(50, 101 + 12.f * i, std::to_string(270 + i), 6));
  }
  const auto blocks = layout(std::move(lines));
  SCOPED_TRACE(describe(blocks));
  for (int i = 0; i < static_cast<int>(kBody.size()); ++i) {
    const int b = find_block(blocks, std::to_string(270 + i));
    ASSERT_GE(b, 0);
    EXPECT_EQ(blocks[b].label, Label::kPageNumber) << 270 + i;
  }
  const std::string md = page_markdown(result_of(blocks));
  EXPECT_EQ(md.find("27"), std::string::npos) << md;
  EXPECT_NE(md.find("The survey team"), std::string::npos) << md;
}

TEST(PageFurniture, RulerReadAsOneNumberInTheMarginIsFurniture) {
  auto lines = body_at(100);
  lines.push_back(line_at(480, 300, "123456789", 6));
  const auto blocks = layout(std::move(lines));
  SCOPED_TRACE(describe(blocks));
  EXPECT_EQ(blocks[find_block(blocks, "123456789")].label, Label::kPageNumber);
}

TEST(PageFurniture, SidewaysStampInTheMarginIsAHeader) {
  auto lines = body_at(100);
  TextLine stamp = line_at(20, 200, "arXiv:2101.00001v1 [cs.CL] 1 Jan 2021", 10);
  stamp.box = {20, 200, 32, 400};
  stamp.words.clear();
  stamp.word_boxes.clear();
  lines.push_back(stamp);
  const auto blocks = layout(std::move(lines));
  SCOPED_TRACE(describe(blocks));
  EXPECT_EQ(blocks[find_block(blocks, "arXiv")].label, Label::kHeader);
}

TEST(PageFurniture, ShortFirstLineOfBodyTextStays) {
  auto lines = body_at(100);
  lines.push_back(line_at(72, 70, "of the previous season.", 10));
  const auto blocks = layout(std::move(lines));
  SCOPED_TRACE(describe(blocks));
  EXPECT_EQ(blocks[find_block(blocks, "previous season")].label, Label::kText);
}

TEST(PageFurniture, NumberedListItemAtTheTopStays) {
  auto lines = body_at(100);
  lines.push_back(line_at(72, 70, "1. Gather the nests first", 10));
  const auto blocks = layout(std::move(lines));
  SCOPED_TRACE(describe(blocks));
  EXPECT_EQ(blocks[find_block(blocks, "Gather the nests")].label, Label::kList);
}

TEST(PageFurniture, NumberedHeadingAtTheTopStays) {
  auto lines = body_at(100);
  lines.push_back(line_at(72, 70, "2 Methods", 12, true));
  const auto blocks = layout(std::move(lines));
  SCOPED_TRACE(describe(blocks));
  EXPECT_EQ(blocks[find_block(blocks, "2 Methods")].label, Label::kSubTitle);
}

TEST(PageFurniture, OcrRunningHeadWithNumberApartTakenForAHeadingIsAHeader) {
  auto lines = body_at(100);
  lines.push_back(line_at(72, 40, "44", 10));
  lines.push_back(line_at(100, 40, "Achim D. Brucker", 10));
  PageContent page = page_of(std::move(lines));
  page.from_ocr = true;
  page.lines_in_reading_order = true;
  page.lines.insert(page.lines.begin(), page.lines.back());
  page.lines.pop_back();
  page.lines.insert(page.lines.begin(), page.lines.back());
  page.lines.pop_back();
  const auto blocks = analyze_layout(page);
  SCOPED_TRACE(describe(blocks));
  EXPECT_EQ(blocks[find_block(blocks, "Achim")].label, Label::kHeader);
}

TEST(PageFurniture, FootnoteAtTheBottomStays) {
  auto lines = body_at(100);
  lines.push_back(line_at(72, 790, "4 The survey ended in 2019.", 8));
  const auto blocks = layout(std::move(lines));
  SCOPED_TRACE(describe(blocks));
  EXPECT_EQ(blocks[find_block(blocks, "survey ended")].label, Label::kText);
}

TEST(SectionNumbers, BareNumbers) {
  for (const char* n : {"3", "2.", "2.1", "5.4.1", "A.1", "IV.", "12."}) {
    EXPECT_TRUE(is_bare_section_number(n)) << n;
  }
  for (const char* n : {"", "3 Results", "1..2", "x", "2021-05"}) {
    EXPECT_FALSE(is_bare_section_number(n)) << n;
  }
}

TEST(SectionNumbers, JoinedToTheTitleOnTheirBaselineWhateverTheOrder) {
  std::vector<TextLine> lines = {line_at(72, 100, "2.1", 10), line_at(72, 114, "2.2", 10),
                                 line_at(95, 100, "Vectors and assignment", 10),
                                 line_at(95, 114, "Vector arithmetic", 10)};
  const auto joined = join_section_numbers(lines);
  ASSERT_EQ(joined.size(), 2u);
  EXPECT_EQ(joined[0].text, "2.1 Vectors and assignment");
  EXPECT_EQ(joined[1].text, "2.2 Vector arithmetic");
  EXPECT_EQ(joined[0].words.front(), "2.1");
}

TEST(SectionNumbers, SmallMarginNumberIsNotATitleNumber) {
  std::vector<TextLine> lines = {line_at(50, 100, "12", 6),
                                 line_at(62, 100, "The survey team walked", 10)};
  EXPECT_EQ(join_section_numbers(lines).size(), 2u);
}

TEST(Contents, LeaderCollapses) {
  EXPECT_EQ(collapse_leader("Arrays . . . . . . . 20"), "Arrays \xE2\x80\xA6 20");
  EXPECT_EQ(collapse_leader("Preface.........ix"), "Preface \xE2\x80\xA6 ix");
  EXPECT_EQ(collapse_leader("Appendix \xE2\x80\xA6\xE2\x80\xA6 31"), "Appendix \xE2\x80\xA6 31");
  EXPECT_EQ(collapse_leader("1.2 Related work...............0... sence 2"),
            "1.2 Related work \xE2\x80\xA6 2")
      << "specks OCR reads among the dots go with the leader";
  EXPECT_EQ(collapse_leader("We counted 20"), std::nullopt);
  EXPECT_EQ(collapse_leader("See page 20..."), std::nullopt);
}

TEST(Contents, EntriesStayOnTheirOwnLines) {
  // The reading flow gives the titles with their pages first, the numbers after them.
  PageContent page = page_of(
      {line_at(95, 100, "Vectors and assignment . . . . . . . . .", 10), line_at(400, 100, "8", 10),
       line_at(95, 114, "Vector arithmetic . . . . . . . . . . .", 10), line_at(400, 114, "9", 10),
       line_at(72, 100, "2.1", 10), line_at(72, 114, "2.2", 10)});
  page.lines_in_reading_order = true;
  const auto blocks = analyze_layout(page);
  SCOPED_TRACE(describe(blocks));
  const int toc = find_block(blocks, "Vectors and assignment");
  ASSERT_GE(toc, 0);
  EXPECT_EQ(blocks[toc].label, Label::kList);
  EXPECT_EQ(blocks[toc].text,
            "- 2.1 Vectors and assignment \xE2\x80\xA6 8\n- 2.2 Vector arithmetic \xE2\x80\xA6 9");
}

TEST(RunningFurniture, KeyMasksDigitsAndDropsThePageNumber) {
  EXPECT_EQ(running_key("8 Schwarz et al."), "Schwarz et al.");
  EXPECT_EQ(running_key("Schwarz et al. 10"), "Schwarz et al.");
  EXPECT_EQ(running_key("Chapter 2: Syntax 3"), "Chapter #: Syntax");
  EXPECT_EQ(running_key("Preface iv"), "Preface");
  EXPECT_EQ(running_key("12"), "");
}

Block text_block(Label label, std::string text, Box box) {
  Block b;
  b.label = label;
  b.text = std::move(text);
  b.box = box;
  return b;
}

TEST(RunningFurniture, LineRepeatedAtTheTopOfPagesIsAHeader) {
  const Box header{400, 40, 540, 52};
  const Box body{72, 100, 520, 700};
  std::vector<PageResult> pages;
  pages.push_back(result_of({text_block(Label::kTitle, "Shared Database", {72, 80, 400, 110}),
                             text_block(Label::kText, "Body one.", body)},
                            0));
  for (int p = 1; p < 3; ++p) {
    pages.push_back(result_of({text_block(Label::kText, "Shared Database", header),
                               text_block(Label::kText, "Shared Database", {72, 400, 300, 412}),
                               text_block(Label::kText, "Body text.", body)},
                              p));
  }
  label_running_furniture(pages);
  EXPECT_EQ(pages[0].blocks[0].label, Label::kTitle) << "the title sits lower than the header";
  for (int p = 1; p < 3; ++p) {
    EXPECT_EQ(pages[p].blocks[0].label, Label::kHeader) << p;
    EXPECT_EQ(pages[p].blocks[1].label, Label::kText) << "mid-page text is content";
    EXPECT_EQ(pages[p].blocks[2].label, Label::kText);
  }
}

TEST(RunningFurniture, ChapterHeadingsAtTheTopOfPagesStay) {
  std::vector<PageResult> pages;
  for (int p = 0; p < 3; ++p) {
    pages.push_back(result_of(
        {text_block(Label::kSubTitle, "Chapter " + std::to_string(p + 1), {72, 60, 200, 80})}, p));
  }
  label_running_furniture(pages);
  for (const auto& page : pages) EXPECT_EQ(page.blocks[0].label, Label::kSubTitle);
}

TEST(RunningFurniture, LineOnOnePageOnlyStays) {
  std::vector<PageResult> pages = {
      result_of({text_block(Label::kText, "Alpha notes", {72, 40, 200, 52})}, 0),
      result_of({text_block(Label::kText, "Beta notes", {72, 40, 200, 52})}, 1)};
  label_running_furniture(pages);
  EXPECT_EQ(pages[0].blocks[0].label, Label::kText);
  EXPECT_EQ(pages[1].blocks[0].label, Label::kText);
}

}  // namespace
}  // namespace docmill
