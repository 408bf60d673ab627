#include <gtest/gtest.h>

#include <fmt/format.h>
#include <string>
#include <vector>

#include "layout/layout_analyzer.h"
#include "render/markdown.h"
#include "support/synthetic_page.h"

namespace docmill {
namespace {

using testing::append;
using testing::column_at;
using testing::describe;
using testing::find_block;
using testing::line_at;
using testing::page_of;

const std::vector<std::string_view> kLeftColumn = {
    "Glaciers carve deep valleys into the",     "mountains over many thousands of years.",
    "Meltwater rivers carry gravel and sand",   "toward the lowland plains, where farmers",
    "later plant barley and oats in the rich",  "soil. Geologists measure the infor-",
    "mation stored in each layer of sediment",  "to reconstruct the climate of the past.",
    "The glaciers retreated slowly after the",  "last ice age, leaving behind moraines,",
    "kettle lakes and polished granite today.",
};
const std::vector<std::string_view> kRightColumn = {
    "Astronomers point large telescopes at",      "distant galaxies to study how stars are",
    "born inside clouds of cold hydrogen gas.",   "Radio dishes listen for faint signals",
    "from pulsars, while orbiting observatories", "record ultraviolet light that never",
    "reaches the surface of our planet and",      "comets return on long elliptical orbits.",
};

// The paper page of the integration tests, as lines: header, title, two columns with numbered
// bold headings, a page number. Lines are listed right column first, as a content stream
// written column by column in the wrong order would give them.
PageContent two_column_page() {
  std::vector<TextLine> lines;
  append(lines, column_at(312, 162, kRightColumn));
  lines.push_back(line_at(312, 140, "2 Related Work", 14, true));
  lines.push_back(line_at(72, 140, "1 Introduction", 14, true));
  append(lines, column_at(72, 162, kLeftColumn));
  lines.push_back(line_at(72, 80, "Reading Order in Synthetic Papers", 24, true));
  lines.push_back(line_at(72, 30, "Workshop on Synthetic Documents 2024", 8));
  lines.push_back(line_at(294, 800, "7", 10));
  return page_of(std::move(lines));
}

TEST(HeadingLevel, FromRelativeSize) {
  EXPECT_EQ(heading_level(24, 10, 0), 1);
  EXPECT_EQ(heading_level(16, 10, 0), 1);
  EXPECT_EQ(heading_level(14, 10, 1), 2);
  EXPECT_EQ(heading_level(13, 10, 0), 2);
}

TEST(HeadingLevel, SlightlyLargerHeadingsFollowTheirNumbering) {
  EXPECT_EQ(heading_level(12, 10, 0), 3);
  EXPECT_EQ(heading_level(12, 10, 1), 3);
  EXPECT_EQ(heading_level(12, 10, 2), 4);
  EXPECT_EQ(heading_level(12, 10, 5), 4);
}

TEST(HeadingLevel, BodySizedHeadingsAreDeepAndCapped) {
  // Bold run-in headings at body size sit below the sized ones.
  EXPECT_EQ(heading_level(10, 10, 0), 4);
  EXPECT_EQ(heading_level(10, 10, 1), 4);
  EXPECT_EQ(heading_level(10, 10, 2), 5);
  EXPECT_EQ(heading_level(10, 10, 3), 6);
  EXPECT_EQ(heading_level(10, 10, 7), 6);
}

TEST(HeadingLevel, UnknownBodySizeDoesNotDivideByZero) {
  EXPECT_EQ(heading_level(12, 0, 1), 4);
}

TEST(HeadingLevel, LargerMeansNoDeeper) {
  for (int depth = 0; depth < 4; ++depth) {
    int prev = 7;
    for (float size = 9; size <= 30; size += 0.5f) {
      const int level = heading_level(size, 10, depth);
      EXPECT_LE(level, prev) << "size " << size << " depth " << depth;
      EXPECT_GE(level, 1);
      EXPECT_LE(level, 6);
      prev = level;
    }
  }
}

TEST(AnalyzeLayout, TwoColumnPageReadsTitleThenLeftColumnThenRight) {
  const auto blocks = analyze_layout(two_column_page());
  SCOPED_TRACE(describe(blocks));
  const int title = find_block(blocks, "Reading Order in Synthetic Papers");
  const int intro = find_block(blocks, "1 Introduction");
  const int left_top = find_block(blocks, "Glaciers carve");
  const int left_end = find_block(blocks, "polished granite");
  const int related = find_block(blocks, "2 Related Work");
  const int right_top = find_block(blocks, "Astronomers point");
  const int right_end = find_block(blocks, "elliptical orbits");
  for (int i : {title, intro, left_top, left_end, related, right_top, right_end}) ASSERT_GE(i, 0);
  EXPECT_LT(title, intro);
  EXPECT_LT(intro, left_top);
  EXPECT_LE(left_top, left_end);
  EXPECT_LT(left_end, related) << "the whole left column comes before the right one";
  EXPECT_LT(related, right_top);
  EXPECT_LE(right_top, right_end);
}

TEST(AnalyzeLayout, TitleAndSectionHeadingsByFontSize) {
  const auto blocks = analyze_layout(two_column_page());
  SCOPED_TRACE(describe(blocks));
  const int title = find_block(blocks, "Reading Order");
  ASSERT_GE(title, 0);
  EXPECT_EQ(blocks[title].label, Label::kTitle);
  EXPECT_EQ(blocks[title].heading_level, 1);
  for (const char* h : {"1 Introduction", "2 Related Work"}) {
    const int i = find_block(blocks, h);
    ASSERT_GE(i, 0) << h;
    EXPECT_EQ(blocks[i].label, Label::kSubTitle) << h;
    EXPECT_EQ(blocks[i].heading_level, 2) << h;
    EXPECT_EQ(blocks[i].text, h) << "a heading is its own block";
  }
  const int body = find_block(blocks, "Glaciers carve");
  EXPECT_EQ(blocks[body].label, Label::kText);
}

TEST(AnalyzeLayout, ColumnLinesJoinIntoParagraphsWithDehyphenation) {
  const auto blocks = analyze_layout(two_column_page());
  SCOPED_TRACE(describe(blocks));
  const int i = find_block(blocks, "Geologists measure");
  ASSERT_GE(i, 0);
  EXPECT_NE(blocks[i].text.find("measure the information stored"), std::string::npos);
  EXPECT_EQ(blocks[i].text.find("infor-"), std::string::npos);
  EXPECT_NE(blocks[i].text.find("into the mountains"), std::string::npos)
      << "consecutive lines are one paragraph";
  for (const auto& b : blocks) {
    EXPECT_EQ(b.text.find("Glaciers") != std::string::npos &&
                  b.text.find("Astronomers") != std::string::npos,
              false)
        << "a paragraph never spans both columns: " << b.text;
  }
}

TEST(AnalyzeLayout, PageNumberAndRunningHeaderAreTagged) {
  const auto blocks = analyze_layout(two_column_page());
  SCOPED_TRACE(describe(blocks));
  const int number = find_block(blocks, "7");
  ASSERT_GE(number, 0);
  EXPECT_EQ(blocks[number].label, Label::kPageNumber);
  const int header = find_block(blocks, "Workshop on Synthetic");
  ASSERT_GE(header, 0);
  EXPECT_EQ(blocks[header].label, Label::kHeader);

  PageResult page;
  page.width = 595;
  page.height = 842;
  page.blocks = blocks;
  const std::string md = page_markdown(page);
  EXPECT_EQ(md.find("Workshop on Synthetic"), std::string::npos) << md;
  EXPECT_EQ(md.find("\n7"), std::string::npos) << md;
  const std::string det = page_markdown_det(page);
  EXPECT_NE(det.find("<|ref|>page_number<|/ref|>"), std::string::npos);
  EXPECT_NE(det.find("<|ref|>header<|/ref|>"), std::string::npos);
}

TEST(AnalyzeLayout, BoldBodySizedLineIsAHeading) {
  std::vector<TextLine> lines;
  lines.push_back(line_at(72, 100, "Background", 10, true));
  append(lines, column_at(72, 120,
                          {"The river was first mapped in the spring of the year",
                           "by a small team of surveyors from the coast.",
                           "Their notes survive in the town library."}));
  const auto blocks = analyze_layout(page_of(std::move(lines)));
  SCOPED_TRACE(describe(blocks));
  ASSERT_GE(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].text, "Background");
  EXPECT_EQ(blocks[0].label, Label::kSubTitle);
  EXPECT_GE(blocks[0].heading_level, 2);
  EXPECT_EQ(blocks[1].label, Label::kText);
}

TEST(AnalyzeLayout, BodyTextOutnumberedByReferencesIsNotAHeading) {
  // The last page of a paper: two paragraphs, then more reference text in smaller type than
  // paragraph text. The paragraphs' size is not a heading size because the references are
  // the page's commonest: their short first lines (indented, no full stop) stay paragraphs.
  std::vector<TextLine> lines;
  lines.push_back(
      line_at(72, 100, "When the coupling between the spheres dominates the minimum", 10));
  append(lines, column_at(72, 112,
                          {"of the lower branch disappears, and the balance between the",
                           "two coherence times has to be kept by adjusting the gap."}));
  lines.push_back(
      line_at(72, 150, "In summary, there is a similarity between the trapped atoms", 10));
  append(lines, column_at(72, 162, {"and the excitons localized by the resonant mode."}));
  lines.push_back(line_at(72, 200, "References", 12, true));
  std::vector<std::string> refs;
  for (int i = 1; i <= 14; ++i) {
    refs.push_back(fmt::format("[{}] A. Author and B. Author, Phys. Rev. B {}, {} (19{}).", i,
                               40 + i, 1000 + 37 * i, 70 + i));
  }
  append(lines, column_at(72, 220, std::vector<std::string_view>(refs.begin(), refs.end()), 8, 10));
  const auto blocks = analyze_layout(page_of(std::move(lines)));
  SCOPED_TRACE(describe(blocks));
  for (const auto& b : blocks) {
    if (b.text == "References") {
      EXPECT_EQ(b.label, Label::kSubTitle);
      continue;
    }
    EXPECT_NE(b.label, Label::kSubTitle) << b.text;
    EXPECT_NE(b.label, Label::kTitle) << b.text;
  }
  const int first = find_block(blocks, "When the coupling");
  ASSERT_GE(first, 0);
  EXPECT_NE(blocks[first].text.find("minimum of the lower branch"), std::string::npos)
      << "the first line stays with its paragraph";
}

TEST(AnalyzeLayout, AnIndentedFirstLineOpensAParagraph) {
  // LaTeX's paragraphs: no space between them, the first line set in by 15 pt.
  std::vector<TextLine> lines;
  lines.push_back(line_at(87, 100, "The river was first mapped in the spring of the"));
  append(lines, column_at(72, 112,
                          {"year by a small team of surveyors from the coast",
                           "who stayed for the summer.", ""}));
  lines.back() = line_at(87, 136, "Their notes survive in the town library, where");
  append(lines, column_at(72, 148, {"anyone may read them on a weekday afternoon."}));
  const auto blocks = analyze_layout(page_of(std::move(lines)));
  SCOPED_TRACE(describe(blocks));
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].text.rfind("The river", 0), 0u);
  EXPECT_EQ(blocks[1].text.rfind("Their notes", 0), 0u);
}

TEST(AnalyzeLayout, AnIndentedLineAfterAFullLineRunsOn) {
  // A reference's hanging indent: its second line is set in, after a line that runs on.
  std::vector<TextLine> lines;
  lines.push_back(line_at(72, 100, "[1] A. Author and B. Author, Phys. Rev. B 53, to be"));
  lines.push_back(line_at(87, 112, "published (2007)."));
  lines.push_back(line_at(72, 124, "[2] C. Author, Science 298, 1368 (2002)."));
  const auto blocks = analyze_layout(page_of(std::move(lines)));
  SCOPED_TRACE(describe(blocks));
  const int first = find_block(blocks, "[1] A. Author");
  ASSERT_GE(first, 0);
  EXPECT_NE(blocks[first].text.find("to be published (2007)."), std::string::npos);
}

TEST(AnalyzeLayout, ASentenceInBoldIsNotAHeading) {
  // Emphasis, not a heading: it ends like a sentence.
  std::vector<TextLine> lines;
  append(lines, column_at(72, 100,
                          {"The river was first mapped in the spring of the year",
                           "by a small team of surveyors from the coast."}));
  lines.push_back(line_at(72, 130, "Nobody returned from the second trip.", 10, true));
  const auto blocks = analyze_layout(page_of(std::move(lines)));
  SCOPED_TRACE(describe(blocks));
  for (const auto& b : blocks) {
    EXPECT_NE(b.label, Label::kSubTitle) << b.text;
    EXPECT_NE(b.label, Label::kTitle) << b.text;
  }
}

TEST(AnalyzeLayout, BulletedLinesBecomeAMarkdownList) {
  std::vector<TextLine> lines;
  append(lines, column_at(72, 100, {"We packed the following items for the trip:"}));
  append(lines, column_at(72, 120,
                          {"\xE2\x80\xA2 a tent and two sleeping bags",
                           "\xE2\x80\xA2 a stove, a pot and enough fuel for a",
                           "  week of cooking",  // continuation of the item above
                           "\xE2\x80\xA2 maps of the northern valleys"}));
  append(lines, column_at(72, 190,
                          {"Everything fitted into three rucksacks in the end, which",
                           "surprised everyone who had seen the pile."}));
  // A continuation line starts indented under the item's text.
  lines[3] = line_at(80, 144, "week of cooking");
  const auto blocks = analyze_layout(page_of(std::move(lines)));
  SCOPED_TRACE(describe(blocks));
  const int list = find_block(blocks, "tent");
  ASSERT_GE(list, 0);
  EXPECT_EQ(blocks[list].label, Label::kList);
  EXPECT_EQ(blocks[list].text,
            "- a tent and two sleeping bags\n"
            "- a stove, a pot and enough fuel for a week of cooking\n"
            "- maps of the northern valleys");
  const int after = find_block(blocks, "rucksacks");
  ASSERT_GE(after, 0);
  EXPECT_EQ(blocks[after].label, Label::kText);
}

TEST(AnalyzeLayout, NumberedListKeepsItsNumbers) {
  std::vector<TextLine> lines =
      column_at(72, 100,
                {"1. Collect the samples from the river bed.", "2. Dry them overnight in the oven.",
                 "3. Weigh each sample twice."});
  const auto blocks = analyze_layout(page_of(std::move(lines)));
  SCOPED_TRACE(describe(blocks));
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].label, Label::kList);
  EXPECT_EQ(blocks[0].text,
            "1. Collect the samples from the river bed.\n2. Dry them overnight in the oven.\n"
            "3. Weigh each sample twice.");
}

TEST(AnalyzeLayout, FigureWithCaption) {
  std::vector<TextLine> lines =
      column_at(72, 80,
                {"The measurements taken during the winter campaign are summarised here and",
                 "each sample was weighed twice before the mean of both readings was kept."});
  lines.push_back(line_at(147, 500, "Figure 1: A gray gradient used as a test figure."));
  lines.push_back(line_at(72, 560, "Table 2: Masses of the samples."));
  const auto blocks = analyze_layout(page_of(std::move(lines), {{147, 280, 447, 480}}));
  SCOPED_TRACE(describe(blocks));
  int image = -1;
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (blocks[i].label == Label::kImage) image = static_cast<int>(i);
  }
  ASSERT_GE(image, 0);
  EXPECT_EQ(blocks[image].image_index, 0);
  EXPECT_EQ(blocks[image].box, (Box{147, 280, 447, 480}));
  EXPECT_TRUE(blocks[image].text.empty());
  const int caption = find_block(blocks, "Figure 1:");
  ASSERT_GE(caption, 0);
  EXPECT_EQ(blocks[caption].label, Label::kImageCaption);
  EXPECT_EQ(caption, image + 1) << "the caption follows its figure";
  const int table_caption = find_block(blocks, "Table 2:");
  ASSERT_GE(table_caption, 0);
  EXPECT_EQ(blocks[table_caption].label, Label::kTableCaption);
}

TEST(AnalyzeLayout, FiguresAreNumberedInReadingOrderAndSpecksDropped) {
  std::vector<TextLine> lines = column_at(72, 80, {"Two pictures follow on this page."});
  const auto blocks =
      analyze_layout(page_of(std::move(lines), {{100, 500, 400, 700},  // lower
                                                {100, 150, 400, 350},  // upper
                                                {500, 60, 508, 68},    // a bullet-sized speck
                                                {0, 0, 595, 842}}));   // a page background
  SCOPED_TRACE(describe(blocks));
  std::vector<const Block*> images;
  for (const auto& b : blocks) {
    if (b.label == Label::kImage) images.push_back(&b);
  }
  ASSERT_EQ(images.size(), 2u);
  EXPECT_EQ(images[0]->image_index, 0);
  EXPECT_FLOAT_EQ(images[0]->box.y0, 150) << "index 0 is the upper one, read first";
  EXPECT_EQ(images[1]->image_index, 1);
}

TEST(AnalyzeLayout, EquationLine) {
  std::vector<TextLine> lines = column_at(72, 100,
                                          {"The energy of the system is given by the relation",
                                           "below, which holds for every closed system."});
  lines.push_back(line_at(200, 140, "E = \xCE\xB1 + \xCE\xB2 \xC2\xB7 x^2"));
  append(lines, column_at(72, 170, {"where the constants come from the fit to the data."}));
  const auto blocks = analyze_layout(page_of(std::move(lines)));
  SCOPED_TRACE(describe(blocks));
  const int eq = find_block(blocks, "E = ");
  ASSERT_GE(eq, 0);
  EXPECT_EQ(blocks[eq].label, Label::kEquation);
}

// A single-column page (body lines wider than half the page) with a 4 x 3 table between two
// paragraphs. `cells_as_lines`: each cell is its own TextLine, as MuPDF's structured text reports
// cells set apart by wide gaps; otherwise each row is one line with word boxes.
PageContent page_with_table(bool cells_as_lines) {
  std::vector<TextLine> lines = column_at(
      72, 100,
      {"The masses of the samples were measured twice with the new balance and are listed",
       "in the table below, together with the error of each measurement in grams today."});
  for (int r = 0; r < 4; ++r) {
    const float y = 140.f + 13 * r;
    const std::string name = r == 0 ? "Sample" : fmt::format("S{}", r);
    const std::string mass = r == 0 ? "Mass" : std::to_string(r * 3) + ".5";
    const std::string error = r == 0 ? "Error" : fmt::format("0.0{}", r);
    TextLine a = line_at(72, y, name), b = line_at(220, y, mass), c = line_at(340, y, error);
    if (cells_as_lines) {
      lines.insert(lines.end(), {a, b, c});
      continue;
    }
    TextLine row = a;
    for (const TextLine* cell : {&b, &c}) {
      row.text += ' ' + cell->text;
      row.words.insert(row.words.end(), cell->words.begin(), cell->words.end());
      row.word_boxes.insert(row.word_boxes.end(), cell->word_boxes.begin(), cell->word_boxes.end());
      row.box = row.box.united(cell->box);
    }
    lines.push_back(row);
  }
  append(lines,
         column_at(72, 210,
                   {"All samples stayed within the expected range, so none of them had to be",
                    "measured a third time, which saved the team most of an afternoon of work."}));
  return page_of(std::move(lines));
}

void expect_table(const std::vector<Block>& blocks) {
  SCOPED_TRACE(describe(blocks));
  int table = -1;
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (blocks[i].label == Label::kTable) table = static_cast<int>(i);
  }
  ASSERT_GE(table, 0);
  EXPECT_NE(blocks[table].text.find("| Sample | Mass | Error |"), std::string::npos);
  EXPECT_NE(blocks[table].text.find("| S2 | 6.5 | 0.02 |"), std::string::npos);
  EXPECT_LT(find_block(blocks, "listed"), table);
  EXPECT_GT(find_block(blocks, "expected range"), table);
}

TEST(AnalyzeLayout, AlignedRowsBecomeATable) {
  expect_table(analyze_layout(page_with_table(false)));
}

TEST(AnalyzeLayout, TableWhoseCellsAreSeparateLinesBecomesATable) {
  expect_table(analyze_layout(page_with_table(true)));
}

TEST(AnalyzeLayout, MonospacedLinesAreCode) {
  std::vector<TextLine> lines = column_at(72, 100, {"int main() {", "  return 0;", "}"});
  for (auto& l : lines) l.monospace = true;
  const auto blocks = analyze_layout(page_of(std::move(lines)));
  SCOPED_TRACE(describe(blocks));
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].label, Label::kCode);
  EXPECT_EQ(blocks[0].text, "int main() {\n  return 0;\n}") << "code keeps its lines";
}

TEST(AnalyzeLayout, OcrPageHeadingsFromLineHeight) {
  // OCR pages have no bold and estimated sizes: a clearly taller line is a heading.
  std::vector<TextLine> lines;
  lines.push_back(line_at(72, 80, "Annual Report", 22));
  append(lines, column_at(72, 130,
                          {"The year began with a cold winter and a late spring,",
                           "which delayed the planting of the fields by weeks.",
                           "Harvests were nonetheless better than expected."}));
  // Bold is not known on OCR pages; a body-sized line must not become a heading from it.
  lines.push_back(line_at(72, 200, "Summary of the accounts", 10, true));
  append(lines, column_at(72, 220, {"Income rose slightly while costs stayed flat."}));
  PageContent page = page_of(std::move(lines));
  page.from_ocr = true;
  page.lines_in_reading_order = true;
  const auto blocks = analyze_layout(page);
  SCOPED_TRACE(describe(blocks));
  const int title = find_block(blocks, "Annual Report");
  ASSERT_GE(title, 0);
  EXPECT_EQ(blocks[title].label, Label::kTitle);
  const int summary = find_block(blocks, "Summary of the accounts");
  ASSERT_GE(summary, 0);
  EXPECT_NE(blocks[summary].label, Label::kSubTitle);
}

TEST(AnalyzeLayout, EmptyPage) {
  EXPECT_TRUE(analyze_layout(page_of({})).empty());
}

}  // namespace
}  // namespace docmill
