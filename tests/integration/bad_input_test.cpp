// Inputs that are not convertible PDFs: each gives an error code the caller can act on and a
// one-line message a person understands. A single broken page does not sink the document.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "support/conversion.h"
#include "support/pdf_factory.h"
#include "support/temp_dir.h"

namespace docmill {
namespace {

using namespace docmill::testing;

void expect_human_message(const Error& e) {
  EXPECT_FALSE(e.message.empty());
  EXPECT_EQ(e.message.find('\n'), std::string::npos) << "one line: " << e.message;
  EXPECT_LT(e.message.size(), 300u) << e.message;
}

void expect_no_outputs(const Conversion& c) {
  for (const char* f : {"output.md", "output_det.md", "layout.pdf", "pages.json"}) {
    EXPECT_FALSE(std::filesystem::exists(c.out / f)) << f << " written for a failed document";
  }
}

TEST(BadInput, JpegIsNotAPdf) {
  const auto c = convert_bytes(jpeg_like_bytes(), fast_options());
  ASSERT_FALSE(c->summary);
  EXPECT_EQ(c->summary.error().code, ErrorCode::kNotPdf);
  EXPECT_NE(c->summary.error().message.find("not a PDF"), std::string::npos)
      << c->summary.error().message;
  expect_human_message(c->summary.error());
  expect_no_outputs(*c);
}

TEST(BadInput, TextFileIsNotAPdf) {
  const auto c = convert_bytes(plain_text_bytes(), fast_options());
  ASSERT_FALSE(c->summary);
  EXPECT_EQ(c->summary.error().code, ErrorCode::kNotPdf);
  expect_human_message(c->summary.error());
}

TEST(BadInput, EmptyFile) {
  const auto c = convert_bytes("", fast_options());
  ASSERT_FALSE(c->summary);
  const ErrorCode code = c->summary.error().code;
  EXPECT_TRUE(code == ErrorCode::kEmpty || code == ErrorCode::kNotPdf) << to_string(code);
  expect_human_message(c->summary.error());
}

TEST(BadInput, MissingFile) {
  const auto c = convert_file("/nonexistent/docmill/input.pdf", fast_options());
  ASSERT_FALSE(c->summary);
  const ErrorCode code = c->summary.error().code;
  EXPECT_TRUE(code == ErrorCode::kIo || code == ErrorCode::kNotFound) << to_string(code);
  EXPECT_NE(c->summary.error().message.find("input.pdf"), std::string::npos)
      << "names the file: " << c->summary.error().message;
}

TEST(BadInput, ZeroPagesIsEmpty) {
  const auto c = convert_bytes(zero_page_pdf(), fast_options());
  ASSERT_FALSE(c->summary);
  EXPECT_EQ(c->summary.error().code, ErrorCode::kEmpty);
  EXPECT_NE(c->summary.error().message.find("no pages"), std::string::npos)
      << c->summary.error().message;
  expect_human_message(c->summary.error());
  expect_no_outputs(*c);
}

TEST(BadInput, EncryptedNeedsAPassword) {
  if (!have_qpdf()) GTEST_SKIP() << "qpdf is not installed (apt-get install qpdf)";
  const auto enc = encrypted_pdf(paper_pdf());
  ASSERT_TRUE(enc) << "qpdf could not encrypt the test PDF";
  const auto c = convert_bytes(*enc, fast_options());
  ASSERT_FALSE(c->summary);
  EXPECT_EQ(c->summary.error().code, ErrorCode::kEncrypted);
  EXPECT_NE(c->summary.error().message.find("password"), std::string::npos)
      << c->summary.error().message;
  expect_human_message(c->summary.error());
  expect_no_outputs(*c);
}

TEST(BadInput, OwnerPasswordOnlyIsReadable) {
  // Encrypted with an empty user password (only printing/copying restricted): anyone may open
  // it, and so may we.
  if (!have_qpdf()) GTEST_SKIP() << "qpdf is not installed (apt-get install qpdf)";
  TempDir dir;
  write_bytes(dir / "in.pdf", paper_pdf());
  const std::string cmd = "qpdf --encrypt '' owner 256 -- '" + (dir / "in.pdf").string() + "' '" +
                          (dir / "out.pdf").string() + "' 2>/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const auto c = convert_file(dir / "out.pdf", fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  EXPECT_TRUE(contains_ci(c->markdown, "telescopes"));
}

TEST(BadInput, TruncatedPdfConvertsWhatItCanAndNamesTheLostPages) {
  // The pages MuPDF's repair still has are converted; the lost ones fail one by one.
  const auto c = convert_bytes(truncated_pdf(0.6), fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  EXPECT_GT(c->summary->failed_pages, 0);
  EXPECT_LT(c->summary->failed_pages, c->summary->pages);
  for (const auto& p : c->pages) {
    if (p["method"] != "failed") continue;
    const std::string error = p["error"];
    EXPECT_NE(error.find("missing from the damaged or truncated file"), std::string::npos) << error;
  }
}

TEST(BadInput, TruncatedPdfNeverPassesMissingPagesOffAsBlank) {
  const auto c = convert_bytes(truncated_pdf(0.6), fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  ASSERT_TRUE(c->pages.is_array());
  for (const auto& p : c->pages) {
    if (p["method"] == "ocr") {
      EXPECT_FALSE(p["blocks"].empty()) << "a page that was never there: " << p.dump();
    }
  }
  EXPECT_GT(c->summary->failed_pages, 0);
}

TEST(BadInput, PdfMissingOnlyItsXrefIsRepaired) {
  // The last bytes lost (xref table and trailer): every object is still there, and MuPDF's
  // repair finds them all. Refusing such a file would be unhelpful.
  const auto c = convert_bytes(truncated_pdf(0.99), fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  EXPECT_EQ(c->summary->pages, 3);
  EXPECT_EQ(c->summary->failed_pages, 0);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(c->page(i)["method"], "text_layer") << i;
    EXPECT_TRUE(contains_ci(c->markdown, "This is page " + std::to_string(i + 1)));
  }
}

// The broken page is reported, one way or the other, and the good pages around it convert.
void expect_isolated_failure(BrokenPage kind) {
  const auto c = convert_bytes(pdf_with_broken_page(kind), fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  EXPECT_EQ(c->summary->pages, 3);
  ASSERT_TRUE(c->pages.is_array());
  ASSERT_EQ(c->pages.size(), 3u);
  for (int i : {0, 2}) {
    EXPECT_EQ(c->page(i)["method"], "text_layer") << i;
    EXPECT_TRUE(c->page(i)["error"].is_null()) << i;
    EXPECT_TRUE(contains_ci(c->markdown, "This is page " + std::to_string(i + 1))) << i;
  }
  const auto& broken = c->page(1);
  const bool failed = broken["error"].is_string() && broken["method"] == "failed";
  const bool warned = !broken["warnings"].empty();
  EXPECT_TRUE(failed || warned) << "page 2 must be reported: " << broken.dump(1);
  EXPECT_EQ(c->summary->failed_pages, failed ? 1 : 0);
  // Still three pages in the markdown: the broken one keeps its place.
  size_t splits = 0;
  for (size_t at = c->markdown.find("<--- Page Split --->"); at != std::string::npos;
       at = c->markdown.find("<--- Page Split --->", at + 1)) {
    ++splits;
  }
  EXPECT_EQ(splits, 2u);
}

TEST(BadInput, GarbageImageStreamIsReportedOnItsPage) {
  expect_isolated_failure(BrokenPage::kGarbageImage);
}

TEST(BadInput, MissingContentsObjectIsReportedOnItsPage) {
  expect_isolated_failure(BrokenPage::kMissingContents);
}

TEST(BadInput, GarbageContentStreamIsReportedOnItsPage) {
  expect_isolated_failure(BrokenPage::kGarbageContents);
}

TEST(BadInput, EmptyMediaBoxDoesNotSinkTheDocument) {
  // MuPDF gives a page with an empty MediaBox the default US-Letter size; whatever docmill
  // makes of that page, the others convert.
  const auto c = convert_bytes(pdf_with_broken_page(BrokenPage::kEmptyMediaBox), fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  EXPECT_EQ(c->summary->pages, 3);
  EXPECT_TRUE(contains_ci(c->markdown, "This is page 1"));
  EXPECT_TRUE(contains_ci(c->markdown, "This is page 3"));
}

TEST(BadInput, BrokenImagePageIsMarkedInTheMarkdown) {
  const auto c = convert_bytes(pdf_with_broken_page(BrokenPage::kGarbageImage), fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  const size_t first = c->markdown.find("<--- Page Split --->");
  const size_t second = c->markdown.find("<--- Page Split --->", first + 1);
  ASSERT_NE(second, std::string::npos);
  const std::string page2 = c->markdown.substr(first, second - first);
  EXPECT_TRUE(contains_ci(page2, "Page 2")) << "page 2 is marked: " << page2;
}

}  // namespace
}  // namespace docmill
