// The PDFs the other tests are made of: well-formed (an exact xref), opened by MuPDF as
// intended, with text where the factory says it is.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "pdf/pdf_document.h"
#include "pipeline/page_limits.h"
#include "support/pdf_factory.h"
#include "support/temp_dir.h"

namespace docmill {
namespace {

using namespace docmill::testing;

// Every in-use xref entry must point at "N 0 obj": a reader that trusts the table (instead of
// repairing) finds each object where the table says.
void expect_exact_xref(const std::string& pdf) {
  const auto startxref = pdf.rfind("startxref\n");
  ASSERT_NE(startxref, std::string::npos);
  const size_t xref = std::stoul(pdf.substr(startxref + 10));
  ASSERT_EQ(pdf.compare(xref, 5, "xref\n"), 0) << "startxref points at the table";
  const std::regex header(R"(xref\n0 (\d+)\n)");
  std::smatch m;
  const std::string table = pdf.substr(xref);
  ASSERT_TRUE(std::regex_search(table, m, header));
  const int count = std::stoi(m[1].str());
  const size_t first = xref + m.length(0);
  EXPECT_EQ(pdf.compare(first, 20, "0000000000 65535 f \n"), 0);
  for (int n = 1; n < count; ++n) {
    const std::string entry = pdf.substr(first + 20 * static_cast<size_t>(n), 20);
    ASSERT_EQ(entry.size(), 20u);
    EXPECT_EQ(entry.substr(10), " 00000 n\r\n") << "entry " << n;
    const size_t off = std::stoul(entry.substr(0, 10));
    const std::string obj = std::to_string(n) + " 0 obj";
    EXPECT_EQ(pdf.compare(off, obj.size(), obj), 0) << "object " << n << " at " << off;
  }
}

TEST(PdfFactory, XrefOffsetsAreExact) {
  expect_exact_xref(paper_pdf());
  expect_exact_xref(figure_pdf());
  expect_exact_xref(zero_page_pdf());
  expect_exact_xref(pdf_with_broken_page(BrokenPage::kGarbageImage));
  expect_exact_xref(image_pdf({{gradient(40, 30), 72}}));
}

TEST(PdfFactory, PaperPageTextSitsWhereItWasPlaced) {
  TempDir dir;
  auto ctx = MupdfContext::create();
  ASSERT_TRUE(ctx);
  write_bytes(dir / "p.pdf", paper_pdf());
  auto doc = PdfDocument::open(*ctx, dir / "p.pdf");
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_EQ(doc->page_count(), 1);
  auto size = doc->page_size(0);
  ASSERT_TRUE(size);
  EXPECT_FLOAT_EQ(size->width, kA4Width);
  EXPECT_FLOAT_EQ(size->height, kA4Height);
  auto layer = doc->text_layer(0);
  ASSERT_TRUE(layer);
  EXPECT_EQ(layer->unmapped_chars, 0);
  const TextLine* title = nullptr;
  const TextLine* left = nullptr;
  const TextLine* right = nullptr;
  for (const auto& l : layer->lines) {
    if (l.text == PaperWords::kTitle) title = &l;
    if (l.text.starts_with(PaperWords::kLeftStart)) left = &l;
    if (l.text.starts_with(PaperWords::kRightStart)) right = &l;
  }
  ASSERT_TRUE(title && left && right);
  // The title's baseline is 92 pt from the top: its box spans it. Top-left origin, y down.
  EXPECT_LT(title->box.y0, 92);
  EXPECT_GT(title->box.y1, 85);
  EXPECT_NEAR(title->box.x0, 72, 1);
  EXPECT_FLOAT_EQ(title->size, 24);
  EXPECT_TRUE(title->bold);
  EXPECT_FALSE(left->bold);
  EXPECT_FLOAT_EQ(left->size, 10);
  // The columns do not touch: a gutter of at least 15 pt between them.
  float left_edge = 0;
  for (const auto& l : layer->lines) {
    if (l.box.x0 < 100 && l.size == 10) left_edge = std::max(left_edge, l.box.x1);
  }
  EXPECT_LT(left_edge + 15, right->box.x0);
}

TEST(PdfFactory, ImagePdfPageSizeFollowsDpi) {
  TempDir dir;
  auto ctx = MupdfContext::create();
  ASSERT_TRUE(ctx);
  write_bytes(dir / "i.pdf", image_pdf({{gradient(300, 150), 150}, {gradient(100, 100), 72}}));
  auto doc = PdfDocument::open(*ctx, dir / "i.pdf");
  ASSERT_TRUE(doc) << doc.error().message;
  ASSERT_EQ(doc->page_count(), 2);
  auto s0 = doc->page_size(0);
  ASSERT_TRUE(s0);
  EXPECT_FLOAT_EQ(s0->width, 144);
  EXPECT_FLOAT_EQ(s0->height, 72);
  auto layer = doc->text_layer(0);
  ASSERT_TRUE(layer);
  EXPECT_EQ(layer->chars, 0) << "an image-only page has no text";
  ASSERT_EQ(layer->images.size(), 1u);
  EXPECT_NEAR(layer->images[0].width(), 144, 0.5);
  // Drawn back at its own resolution, the raster comes out as it went in.
  auto r = doc->render(0, 150, 1, PageLimits{}.max_render_pixels);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->width, 300);
  EXPECT_EQ(r->height, 150);
  const Raster g = gradient(300, 150);
  EXPECT_NEAR(r->pixels[75 * 300 + 10], g.pixels[75 * 300 + 10], 3);
  EXPECT_NEAR(r->pixels[75 * 300 + 290], g.pixels[75 * 300 + 290], 3);
}

TEST(PdfFactory, ScannedPdfIsImageOnlyAndRotatedWhenAsked) {
  const std::string pdf = paper_pdf();
  const auto upright = render_pages(scanned_pdf(pdf, 100), 100);
  ASSERT_EQ(upright.size(), 1u);
  EXPECT_NEAR(upright[0].width, 827, 2);  // 595 pt at 100 dpi
  EXPECT_NEAR(upright[0].height, 1169, 2);
  const auto turned = render_pages(scanned_pdf(pdf, 100, 90), 100);
  ASSERT_EQ(turned.size(), 1u);
  EXPECT_EQ(turned[0].width, upright[0].height) << "a sideways sheet is landscape";
  EXPECT_EQ(turned[0].height, upright[0].width);
  // Ink of the title (near the top of the upright page) is near the right edge once turned.
  const auto ink_in_columns = [](const Raster& r, int x0, int x1) {
    int ink = 0;
    for (int y = 0; y < r.height; ++y) {
      for (int x = x0; x < x1; ++x) ink += r.pixels[static_cast<size_t>(y) * r.width + x] < 128;
    }
    return ink;
  };
  const int w = turned[0].width;
  EXPECT_GT(ink_in_columns(turned[0], w - 160, w - 100), 500) << "title band at the right";
  EXPECT_EQ(ink_in_columns(turned[0], 0, 40), 0) << "bottom margin on the left is blank";
}

TEST(PdfFactory, FigurePageHasItsImage) {
  TempDir dir;
  auto ctx = MupdfContext::create();
  ASSERT_TRUE(ctx);
  write_bytes(dir / "f.pdf", figure_pdf());
  auto doc = PdfDocument::open(*ctx, dir / "f.pdf");
  ASSERT_TRUE(doc) << doc.error().message;
  auto layer = doc->text_layer(0);
  ASSERT_TRUE(layer);
  ASSERT_EQ(layer->images.size(), 1u);
  const Box& b = layer->images[0];
  EXPECT_NEAR(b.x0, 147.5, 0.5);
  EXPECT_NEAR(b.y0, kA4Height / 3, 0.5);
  EXPECT_NEAR(b.width(), 300, 0.5);
  EXPECT_NEAR(b.height(), 200, 0.5);
  bool caption = false;
  for (const auto& l : layer->lines) caption = caption || l.text == kFigureCaption;
  EXPECT_TRUE(caption);
}

TEST(PdfFactory, BrokenInputsAreWhatTheySay) {
  EXPECT_FALSE(jpeg_like_bytes().starts_with("%PDF"));
  EXPECT_EQ(static_cast<unsigned char>(jpeg_like_bytes()[0]), 0xFF);
  EXPECT_EQ(plain_text_bytes().find("%PDF"), std::string::npos);
  const std::string t = truncated_pdf(0.6);
  EXPECT_TRUE(t.starts_with("%PDF-"));
  EXPECT_EQ(t.find("%%EOF"), std::string::npos);
  EXPECT_EQ(t.find("startxref"), std::string::npos);
  EXPECT_NE(zero_page_pdf().find("/Count 0"), std::string::npos);
}

TEST(PdfFactory, EncryptedPdfNeedsAPassword) {
  if (!have_qpdf()) GTEST_SKIP() << "qpdf is not installed (apt-get install qpdf)";
  const auto enc = encrypted_pdf(paper_pdf());
  ASSERT_TRUE(enc) << "qpdf failed to encrypt";
  EXPECT_NE(enc->find("/Encrypt"), std::string::npos);
}

}  // namespace
}  // namespace docmill
