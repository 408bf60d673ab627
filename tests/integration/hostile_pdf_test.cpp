// Broken and hostile PDFs through convert_document: each one converts what can be read, fails
// single pages with a reason, or is refused with one line; none crashes, hangs or allocates
// without bound.
#include <gtest/gtest.h>

#include <string>

#include "core/utf8.h"
#include "pdf/pdf_document.h"
#include "pipeline/output_writer.h"
#include "pipeline/page_result_json.h"
#include "support/conversion.h"
#include "support/pdf_factory.h"
#include "support/temp_dir.h"

namespace docmill {
namespace {

using namespace docmill::testing;

size_t count_of(std::string_view haystack, std::string_view needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string_view::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

// layout.pdf was written and MuPDF reads it back with `pages` pages.
void expect_layout_pdf(const Conversion& c, int pages) {
  auto ctx = MupdfContext::create();
  ASSERT_TRUE(ctx);
  auto doc = PdfDocument::open(*ctx, c.out / kLayoutPdfFile);
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_EQ(doc->page_count(), pages);
}

TEST(HostilePdf, SelfReferencingLengthConvertsAndWritesItsLayoutPdf) {
  // Once a segfault: the layout PDF writer's garbage collection recursed through the stream's
  // /Length back into the stream itself.
  const auto c =
      convert_bytes(pdf_with_broken_length(BrokenLength::kSelfReference), fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  EXPECT_EQ(c->summary->failed_pages, 0);
  EXPECT_TRUE(contains_ci(c->markdown, "This is page 1"));
  expect_layout_pdf(*c, 1);
}

TEST(HostilePdf, NegativeLengthConvertsAndWritesItsLayoutPdf) {
  const auto c = convert_bytes(pdf_with_broken_length(BrokenLength::kNegative), fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  EXPECT_EQ(c->summary->failed_pages, 0);
  EXPECT_TRUE(contains_ci(c->markdown, "This is page 1"));
  expect_layout_pdf(*c, 1);
}

TEST(HostilePdf, BillionPageCountIsRefusedByThePageLimit) {
  // Once std::bad_alloc after 4 GB: a vector of a billion page numbers.
  const auto c = convert_bytes(pdf_with_page_count("1000000000"), fast_options());
  ASSERT_FALSE(c->summary);
  EXPECT_EQ(c->summary.error().code, ErrorCode::kTooManyPages);
  EXPECT_EQ(c->summary.error().message, "1000000000 pages selected, over the limit of 2000");
}

TEST(HostilePdf, BillionPageCountStillConvertsASelectedPage) {
  ConvertOptions options = fast_options();
  options.pages = "1-2";
  const auto c = convert_bytes(pdf_with_page_count("1000000000"), options);
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  EXPECT_EQ(c->summary->pages, 2);
  EXPECT_EQ(c->page(0)["method"], "text_layer");
  EXPECT_TRUE(contains_ci(c->markdown, "This is page 1"));
  // The tree has one real page: the second is named as missing.
  EXPECT_EQ(c->summary->failed_pages, 1);
  EXPECT_NE(c->page(1)["error"].get<std::string>().find("page 2"), std::string::npos)
      << c->page(1).dump();
}

TEST(HostilePdf, PageCountPastInt64IsRefusedOrConvertedNeverACrash) {
  const auto c = convert_bytes(pdf_with_page_count("99999999999999999999999999"), fast_options());
  if (c->summary) {
    EXPECT_GE(c->summary->pages, 1);
    return;
  }
  EXPECT_EQ(c->summary.error().message.find('\n'), std::string::npos);
  const ErrorCode code = c->summary.error().code;
  EXPECT_TRUE(code == ErrorCode::kTooManyPages || code == ErrorCode::kCorrupt ||
              code == ErrorCode::kEmpty)
      << to_string(code) << ": " << c->summary.error().message;
}

TEST(HostilePdf, LowerPageLimitNamesItsCount) {
  ConvertOptions options = fast_options();
  options.max_pages = 2;
  const auto c = convert_bytes(truncated_pdf(1.0), options);
  ASSERT_FALSE(c->summary);
  EXPECT_EQ(c->summary.error().code, ErrorCode::kTooManyPages);
  EXPECT_EQ(c->summary.error().message, "3 pages selected, over the limit of 2");
}

TEST(HostilePdf, SurrogatesInTheTextLayerBecomeValidUtf8) {
  // Once an uncaught nlohmann type_error.316 when pages.json was dumped.
  const auto c = convert_bytes(pdf_with_surrogate_text(), fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  ASSERT_TRUE(c->pages.is_array()) << "pages.json is valid JSON";
  EXPECT_EQ(valid_utf8(c->markdown), c->markdown);
  EXPECT_EQ(valid_utf8(c->markdown_det), c->markdown_det);
  EXPECT_TRUE(contains_ci(c->markdown, "rivers"));
  EXPECT_TRUE(contains_ci(c->markdown, "valley"));
  EXPECT_EQ(c->markdown.find(std::string(1, '\0')), std::string::npos);
}

TEST(HostilePdf, BlankPagesAreSkippedWithoutOcr) {
  ConvertOptions options = fast_options();
  options.read.force_ocr = true;  // even so: nothing to read on them
  const auto c = convert_bytes(blank_pages_pdf(6), options);
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  EXPECT_EQ(c->summary->pages, 6);
  EXPECT_EQ(c->summary->blank_pages, 6);
  EXPECT_EQ(c->summary->ocr_pages, 0);
  EXPECT_EQ(c->summary->failed_pages, 0);
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(c->page(i)["method"], "blank") << c->page(i).dump();
    EXPECT_TRUE(c->page(i)["error"].is_null());
  }
  EXPECT_EQ(count_of(c->markdown, "<--- Page Split --->"), 5u);
}

TEST(HostilePdf, BlankPageBetweenTextPagesKeepsItsPlace) {
  std::vector<PageSpec> specs(3);
  specs[0].runs.push_back({72, 100, 12, false, "The first page talks about rivers and lakes."});
  specs[2].runs.push_back({72, 100, 12, false, "The third page talks about mountains and snow."});
  const auto c = convert_bytes(make_pdf(specs), fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  EXPECT_EQ(c->summary->blank_pages, 1);
  EXPECT_EQ(c->page(1)["method"], "blank");
  EXPECT_EQ(count_of(c->markdown, "<--- Page Split --->"), 2u);
}

TEST(HostilePdf, FormFanOutFailsItsPageAtTheTimeLimit) {
  // 10^10 draws: once a hang. MuPDF's interpreter is stopped through its cookie.
  ConvertOptions options = fast_options();
  options.limits.timeout = std::chrono::milliseconds(500);
  const auto c = convert_bytes(form_fanout_pdf(10, 10), options);
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  EXPECT_EQ(c->summary->failed_pages, 1);
  EXPECT_EQ(c->page(0)["method"], "failed");
  EXPECT_EQ(c->page(0)["error"], "page 1 ran past the 0.5 s page time limit");
}

TEST(HostilePdf, HugePageIsRenderedWithinThePixelBudget) {
  ConvertOptions options = fast_options();
  options.read.force_ocr = true;
  options.limits.max_render_pixels = 4'000'000;
  // 100 x 100 inches: 400 M pixels at the 200 dpi asked for.
  const auto c = convert_bytes(huge_page_pdf(7200, 7200), options);
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  EXPECT_EQ(c->summary->failed_pages, 0);
  const auto& warnings = c->page(0)["warnings"];
  bool named = false;
  for (const auto& w : warnings) {
    named =
        named || w.get<std::string>().find("render budget of 4000000 pixels") != std::string::npos;
  }
  EXPECT_TRUE(named) << warnings.dump();
}

TEST(HostilePdf, TruncatedFileConvertsThePagesBeforeTheCut) {
  const auto c = convert_bytes(truncated_pdf(0.6), fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  EXPECT_EQ(c->summary->pages, 3);
  EXPECT_GT(c->summary->failed_pages, 0);
  EXPECT_LT(c->summary->failed_pages, 3);
  EXPECT_EQ(c->page(0)["method"], "text_layer");
  EXPECT_TRUE(contains_ci(c->markdown, "This is page 1"));
  const auto& last = c->page(2);
  EXPECT_EQ(last["method"], "failed");
  EXPECT_EQ(last["error"], "page 3 is missing from the damaged or truncated file");
  expect_layout_pdf(*c, 3);
}

TEST(HostilePdf, FileWithNoReadablePageIsRefusedInOneLine) {
  const auto c = convert_bytes(truncated_pdf(0.1), fast_options());
  ASSERT_FALSE(c->summary) << c->summary->pages << " pages";
  EXPECT_EQ(c->summary.error().message.find('\n'), std::string::npos);
  const ErrorCode code = c->summary.error().code;
  EXPECT_TRUE(code == ErrorCode::kCorrupt || code == ErrorCode::kEmpty) << to_string(code);
  EXPECT_FALSE(probe_pdf(c->input)) << "the upload check refuses it too";
}

TEST(HostilePdf, LayoutPdfFromRendersKeepsPagesSizesAndWarns) {
  const auto c = convert_bytes(make_pdf({paper_page(), figure_page()}), fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  std::vector<PageResult> pages;
  for (const auto& j : c->pages) {
    auto p = page_result_from_json(j);
    ASSERT_TRUE(p);
    pages.push_back(std::move(*p));
  }
  TempDir out;
  auto warnings = write_outputs(pages, c->input, out.path(), LayoutPdfSource::kRenders);
  ASSERT_TRUE(warnings) << warnings.error().message;
  // layout.pdf drawn from renders, and searchable.pdf (written into the input too) left out.
  ASSERT_EQ(warnings->size(), 2u);
  EXPECT_NE((*warnings)[0].find("page renders"), std::string::npos) << (*warnings)[0];
  EXPECT_NE((*warnings)[1].find("searchable.pdf is not written"), std::string::npos)
      << (*warnings)[1];
  EXPECT_FALSE(std::filesystem::exists(out.path() / kSearchablePdfFile));

  auto ctx = MupdfContext::create();
  ASSERT_TRUE(ctx);
  auto doc = PdfDocument::open(*ctx, out.path() / kLayoutPdfFile);
  ASSERT_TRUE(doc) << doc.error().message;
  ASSERT_EQ(doc->page_count(), 2);
  for (int i = 0; i < 2; ++i) {
    auto size = doc->page_size(i);
    ASSERT_TRUE(size);
    EXPECT_NEAR(size->width, pages[i].width, 0.5f);
    EXPECT_NEAR(size->height, pages[i].height, 0.5f);
    // An image page: the render is placed on it, and the page's own text is not there as
    // text (only the labels of the box annotations are).
    auto layer = doc->text_layer(i);
    ASSERT_TRUE(layer);
    EXPECT_FALSE(layer->images.empty());
    for (const auto& line : layer->lines) {
      EXPECT_EQ(line.text.find("Glaciers"), std::string::npos) << line.text;
    }
  }
}

}  // namespace
}  // namespace docmill
