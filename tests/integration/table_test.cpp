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

PageSpec booktabs_page() {
  PageSpec page;
  page.runs.push_back({72, 100, 10, false, "The prices of the animals are listed below."});
  page.runs.push_back({150, 140, 10, false, "Table 1: Prices of stuffed animals"});
  const float y = 170;
  const auto row = [&](float baseline, std::initializer_list<std::pair<float, const char*>> cells) {
    for (const auto& [x, text] : cells) page.runs.push_back({x, baseline, 10, false, text});
  };
  row(y, {{150, "Animal"}, {250, "Description"}, {380, "Price"}});
  row(y + 20, {{150, "Gnat"}, {250, "per gram"}, {380, "13.65"}});
  row(y + 34, {{250, "each"}, {380, "0.01"}});
  row(y + 48, {{150, "Gnu"}, {250, "stuffed"}, {380, "92.50"}});
  row(y + 62, {{150, "Emu"}, {250, "stuffed"}, {380, "33.33"}});
  page.rules = {
      {145, y - 14, 420, y - 13}, {145, y + 6, 420, y + 6.5f}, {145, y + 68, 420, y + 69}};
  page.runs.push_back({72, 280, 10, false, "It takes much less work to lay this out as a table."});
  return page;
}

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

}  // namespace
}  // namespace docmill
