// Ruled tables through convert_document: a booktabs-like table (three horizontal rules, no
// vertical ones) on a born-digital page, and the same page scanned, come out as one markdown
// table with its caption beside it.
#include <gtest/gtest.h>

#include <string>

#include "support/conversion.h"
#include "support/pdf_factory.h"

namespace docmill {
namespace {

using namespace docmill::testing;

void expect_booktabs_table(const std::string& md) {
  EXPECT_NE(md.find("| Animal | Description | Price |\n| --- | --- | --- |\n"), std::string::npos)
      << md;
  EXPECT_NE(md.find("| Gnat | per gram | 13.65 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| Emu | stuffed | 33.33 |"), std::string::npos) << md;
  EXPECT_LT(md.find("Table 1: Prices"), md.find("| Animal"));
  EXPECT_LT(md.find("| Emu"), md.find("It takes much less work"));
}

TEST(Tables, BooktabsTableOnATextLayerPageIsOneMarkdownTable) {
  const auto c = convert_bytes(make_pdf({booktabs_page()}), fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  expect_booktabs_table(c->markdown);
  int tables = 0, captions = 0;
  for (const auto& b : c->page(0)["blocks"]) {
    tables += b["label"] == "table";
    captions += b["label"] == "table_caption";
  }
  EXPECT_EQ(tables, 1) << c->pages.dump();
  EXPECT_EQ(captions, 1) << c->pages.dump();
}

TEST(Tables, BooktabsTableOnAScannedPageIsOneMarkdownTable) {
  const auto c = convert_bytes(scanned_pdf(make_pdf({booktabs_page()}), 300), fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  expect_booktabs_table(c->markdown);
}

TEST(Tables, ATableOfStrokedCellRectanglesIsATable) {
  // Two rows are too few for a table by alignment alone: the rules in the rectangles' sides
  // make it one.
  const auto c = convert_bytes(make_pdf({framed_table_page()}), fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  EXPECT_NE(c->markdown.find("| Town | River | Founded |\n| --- | --- | --- |\n| Lyon | Rhone | "
                             "43 BC |"),
            std::string::npos)
      << c->markdown;
}

}  // namespace
}  // namespace docmill
