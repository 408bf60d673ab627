// PageProcessor on real MuPDF pages with a scripted OCR engine: what the page step does with
// the engine's answers (rotation, boxes, failures, cancellation), without Tesseract's variance.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <new>
#include <thread>

#include "ocr/tesseract_engine.h"
#include "pipeline/page_processor.h"
#include "support/pdf_factory.h"
#include "support/synthetic_page.h"
#include "support/temp_dir.h"

namespace docmill {
namespace {

using namespace docmill::testing;

// Answers with a fixed rotation and fixed lines (given in points of the upright page, converted
// to pixels of the image it is handed), and records what it was asked.
class ScriptedOcr final : public OcrEngine {
 public:
  int rotation = 0;
  // Orientation detection's confidence in `rotation`.
  float osd_confidence = 10;
  // Confidences the next recognize() calls on a strip (an image over three times as wide as
  // tall) answer with, one line each: the strips a proposed turn is checked on (as it is, then
  // turned).
  std::vector<float> strip_confidences;
  int dpi_seen = 0;
  std::vector<TextLine> lines_pt;
  std::optional<Error> recognize_error;
  int detect_calls = 0;
  int recognize_calls = 0;
  int seen_width = 0;
  int seen_height = 0;
  Raster seen_image;  // the page's image, as the last recognize() call got it

  Result<int> detect_rotation(const Raster&, int) override {
    ++detect_calls;
    return rotation;
  }
  Result<OrientationGuess> detect_orientation(const Raster&, int) override {
    ++detect_calls;
    return OrientationGuess{rotation, osd_confidence};
  }
  Result<OcrPage> recognize(const Raster& gray, int dpi, std::string_view,
                            std::stop_token stop) override {
    if (!strip_confidences.empty() && gray.width > 3 * gray.height) {
      OcrPage strip;
      strip.lines = {line_at(0, 0, "strip")};
      strip.mean_confidence = strip_confidences.front();
      strip_confidences.erase(strip_confidences.begin());
      return strip;
    }
    ++recognize_calls;
    dpi_seen = dpi;
    seen_width = gray.width;
    seen_height = gray.height;
    seen_image = gray;
    if (stop.stop_requested()) return fail(ErrorCode::kCancelled, "stopped");
    if (recognize_error) return std::unexpected(*recognize_error);
    const float px = static_cast<float>(dpi) / 72.f;
    OcrPage page;
    for (auto l : lines_pt) {
      l.box = {l.box.x0 * px, l.box.y0 * px, l.box.x1 * px, l.box.y1 * px};
      for (auto& w : l.word_boxes) w = {w.x0 * px, w.y0 * px, w.x1 * px, w.y1 * px};
      l.size *= px;
      l.confidence = 90;
      page.lines.push_back(std::move(l));
    }
    page.mean_confidence = 90;
    return page;
  }
};

class PageProcessorTest : public ::testing::Test {
 protected:
  // Opens `pdf` (kept in the temp dir) for the test's lifetime.
  PdfDocument& open(const std::string& pdf) {
    write_bytes(dir_ / "in.pdf", pdf);
    auto ctx = MupdfContext::create();
    EXPECT_TRUE(ctx);
    ctx_.emplace(std::move(*ctx));
    auto doc = PdfDocument::open(*ctx_, dir_ / "in.pdf");
    EXPECT_TRUE(doc) << doc.error().message;
    doc_.emplace(std::move(*doc));
    std::filesystem::create_directories(images());
    return *doc_;
  }
  std::filesystem::path images() const { return dir_ / "images"; }

  Result<PageResult> process(OcrEngine& ocr, int page, ReadOptions options = low_dpi(),
                             std::stop_token stop = {}, PageLimits limits = {}) {
    PageProcessor p(ocr, limits);
    return p.process(*doc_, page, options, images(), stop);
  }

  // The one page of an image-only PDF of `scan`, read at `dpi` asked for.
  Result<PageResult> process_scan(OcrEngine& ocr, const ScanPage& scan, int dpi) {
    open(image_pdf({scan}));
    ReadOptions o = low_dpi();
    o.dpi = dpi;
    return process(ocr, 0, o);
  }

  static ReadOptions low_dpi() {
    ReadOptions o;
    o.dpi = 100;  // the scripted engine does not read pixels: keep renders small
    return o;
  }

  TempDir dir_;
  std::optional<MupdfContext> ctx_;
  std::optional<PdfDocument> doc_;
};

// An image-only page of w x h points, white but for a dark bar near its top left corner: ink,
// so the page is not skipped as blank, and nothing the scripted engine needs to read.
std::string blank_scan(float w, float h) {
  Raster r{static_cast<int>(w), static_cast<int>(h), 1, {}};
  r.pixels.assign(static_cast<size_t>(r.width) * r.height, 255);
  for (int y = 10; y < 14 && y < r.height; ++y) {
    for (int x = 10; x < 60 && x < r.width; ++x) r.pixels[static_cast<size_t>(y) * r.width + x] = 0;
  }
  return image_pdf({{r, 72}});
}

TEST_F(PageProcessorTest, TextLayerPageNeverTouchesOcr) {
  open(paper_pdf());
  ScriptedOcr ocr;
  auto page = process(ocr, 0);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->method, ReadMethod::kTextLayer);
  EXPECT_EQ(ocr.detect_calls, 0);
  EXPECT_EQ(ocr.recognize_calls, 0);
  EXPECT_FALSE(page->mean_confidence);
  EXPECT_FALSE(page->error);
  EXPECT_FLOAT_EQ(page->width, kA4Width);
  EXPECT_GE(page->millis, 0);
  EXPECT_GE(find_block(page->blocks, "Glaciers carve"), 0);
}

TEST_F(PageProcessorTest, ImagePageIsOcrdAndBoxesComeBackInPoints) {
  open(blank_scan(kA4Width, kA4Height));
  ScriptedOcr ocr;
  ocr.lines_pt = {line_at(72, 100, "Harbour accounts for the year", 14),
                  line_at(72, 130, "The boats came back full every week of the season."),
                  line_at(72, 142, "Prices held steady until the autumn storms began.")};
  auto page = process(ocr, 0);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->method, ReadMethod::kOcr);
  EXPECT_EQ(ocr.detect_calls, 1);
  EXPECT_EQ(ocr.recognize_calls, 1);
  EXPECT_NEAR(ocr.seen_width, 2480, 2) << "a 72 ppi scan is read at 300 dpi, not the 100 asked";
  EXPECT_EQ(page->ocr_dpi, 300);
  EXPECT_EQ(ocr.dpi_seen, 300) << "Tesseract is told the resolution it gets";
  ASSERT_TRUE(page->image_ppi);
  EXPECT_NEAR(*page->image_ppi, 72, 0.5);
  ASSERT_TRUE(page->mean_confidence);
  EXPECT_FLOAT_EQ(*page->mean_confidence, 90);
  const int i = find_block(page->blocks, "The boats came back");
  ASSERT_GE(i, 0);
  EXPECT_NEAR(page->blocks[i].box.x0, 72, 1);
  EXPECT_NEAR(page->blocks[i].box.y0, 130, 1);
}

TEST_F(PageProcessorTest, AWellReadUprightPageIsNotAskedItsOrientation) {
  // Forty words on horizontal lines, read at 90: the reading shows the page stands upright, so
  // orientation detection (which would propose a turn here) is not asked and nothing is read
  // twice.
  open(blank_scan(kA4Width, kA4Height));
  ScriptedOcr ocr;
  ocr.rotation = 180;
  ocr.strip_confidences = {35, 88};
  ocr.lines_pt = column_at(72, 100,
                           {"The boats came back full every week of the season.",
                            "Prices held steady until the autumn storms began.",
                            "The harbour master kept the accounts in a red book.",
                            "Nobody in the village remembers a better year for fish.",
                            "In November the nets were mended and the boats painted."});
  auto page = process(ocr, 0);
  ASSERT_TRUE(page);
  EXPECT_EQ(ocr.detect_calls, 0);
  EXPECT_EQ(ocr.recognize_calls, 1);
  EXPECT_EQ(page->rotation, 0);
  EXPECT_FALSE(page->rotation_check);
}

TEST_F(PageProcessorTest, UpsideDownPageBoxesMapBack) {
  // Turned by 180 degrees, a line at the upright page's top left sits at the image's bottom
  // right.
  open(blank_scan(kA4Width, kA4Height));
  ScriptedOcr ocr;
  ocr.rotation = 180;
  ocr.strip_confidences = {40, 90};
  ocr.lines_pt = {line_at(72, 40, "A heading in the upright page", 14)};
  auto page = process(ocr, 0);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->rotation, 180);
  ASSERT_EQ(page->blocks.size(), 1u);
  const Box& upright = ocr.lines_pt[0].box;
  const Box& b = page->blocks[0].box;
  EXPECT_NEAR(b.x0, kA4Width - upright.x1, 1);
  EXPECT_NEAR(b.x1, kA4Width - upright.x0, 1);
  EXPECT_NEAR(b.y0, kA4Height - upright.y1, 1);
  EXPECT_NEAR(b.y1, kA4Height - upright.y0, 1);
}

TEST_F(PageProcessorTest, SidewaysPageIsHandedToOcrUpright) {
  open(blank_scan(kA4Height, kA4Width));
  for (int rotation : {90, 270}) {
    ScriptedOcr ocr;
    ocr.rotation = rotation;
    ocr.strip_confidences = {40, 90};
    ocr.lines_pt = {line_at(72, 40, "A heading in the upright page", 14)};
    auto page = process(ocr, 0);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->rotation, rotation);
    EXPECT_LT(ocr.seen_width, ocr.seen_height) << "portrait once turned";
    EXPECT_FLOAT_EQ(page->width, kA4Height) << "the page keeps its own (landscape) size";
    EXPECT_EQ(page->blocks.size(), 1u);
  }
}

TEST_F(PageProcessorTest, SidewaysPageBoxesMapBackToThePage) {
  open(blank_scan(kA4Height, kA4Width));
  const Box upright = line_at(72, 40, "A heading in the upright page", 14).box;
  // Turning the image clockwise by `rotation` made it upright, so the upright page turned back
  // (counter-clockwise by `rotation`) is the image.
  const float W = kA4Width, H = kA4Height;  // the upright page
  const std::map<int, Box> expected = {
      {90, {upright.y0, W - upright.x1, upright.y1, W - upright.x0}},
      {270, {H - upright.y1, upright.x0, H - upright.y0, upright.x1}},
  };
  for (const auto& [rotation, want] : expected) {
    ScriptedOcr ocr;
    ocr.rotation = rotation;
    ocr.strip_confidences = {40, 90};
    ocr.lines_pt = {line_at(72, 40, "A heading in the upright page", 14)};
    auto page = process(ocr, 0);
    ASSERT_TRUE(page);
    ASSERT_EQ(page->blocks.size(), 1u);
    const Box& b = page->blocks[0].box;
    EXPECT_NEAR(b.x0, want.x0, 1) << rotation;
    EXPECT_NEAR(b.y0, want.y0, 1) << rotation;
    EXPECT_NEAR(b.x1, want.x1, 1) << rotation;
    EXPECT_NEAR(b.y1, want.y1, 1) << rotation;
    EXPECT_LE(b.y1, W + 1) << "a box stays on the page";
  }
}

TEST_F(PageProcessorTest, UpsideDownPageIsTurnedWhenTheTurnedStripReadsBetter) {
  open(blank_scan(kA4Width, kA4Height));
  ScriptedOcr ocr;
  ocr.rotation = 180;
  ocr.strip_confidences = {35, 88};
  ocr.lines_pt = {line_at(72, 40, "A heading in the upright page", 14)};
  auto page = process(ocr, 0);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->rotation, 180);
  ASSERT_TRUE(page->rotation_check);
  EXPECT_EQ(page->rotation_check->applied, 180);
  EXPECT_EQ(page->rotation_check->strip_confidence_as_is, 35.f);
  EXPECT_EQ(page->rotation_check->strip_confidence_turned, 88.f);
}

TEST_F(PageProcessorTest, UnclearPageIsNotTurned) {
  open(blank_scan(kA4Width, kA4Height));
  {
    // Orientation detection is confident, but the turned strip reads no better.
    ScriptedOcr ocr;
    ocr.rotation = 180;
    ocr.strip_confidences = {61, 63};
    ocr.lines_pt = {line_at(72, 40, "Handwriting read as well either way", 14)};
    auto page = process(ocr, 0);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->rotation, 0);
    ASSERT_TRUE(page->rotation_check);
    EXPECT_EQ(page->rotation_check->proposed, 180);
    EXPECT_EQ(page->rotation_check->applied, 0);
    EXPECT_NE(page->rotation_check->reason.find("no better"), std::string::npos);
    const int i = find_block(page->blocks, "Handwriting");
    ASSERT_GE(i, 0);
    EXPECT_NEAR(page->blocks[i].box.x0, 72, 1) << "boxes of an unturned page stay put";
  }
  {
    // Orientation detection is unsure: no strip is even read.
    ScriptedOcr ocr;
    ocr.rotation = 90;
    ocr.osd_confidence = 0.8f;
    ocr.lines_pt = {line_at(72, 40, "A sparse page", 14)};
    auto page = process(ocr, 0);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->rotation, 0);
    ASSERT_TRUE(page->rotation_check);
    EXPECT_FALSE(page->rotation_check->strip_confidence_as_is);
    EXPECT_EQ(ocr.recognize_calls, 1);
  }
}

TEST_F(PageProcessorTest, HighResolutionScanIsReadAtItsOwnResolution) {
  // A 2 x 2 inch page holding a 800 x 800 px image: 400 ppi.
  Raster r{800, 800, 1, std::vector<std::uint8_t>(800 * 800, 255)};
  for (int y = 100; y < 120; ++y) {
    for (int x = 100; x < 400; ++x) r.pixels[static_cast<size_t>(y) * 800 + x] = 0;
  }
  ScriptedOcr ocr;
  auto page = process_scan(ocr, {r, 400}, 300);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->ocr_dpi, 400);
  EXPECT_NEAR(ocr.seen_width, 800, 2);
}

TEST_F(PageProcessorTest, ABilevelScanReachesOcrPixelForPixel) {
  // A 2 x 2 inch page holding a 1-bit 610 x 610 px image: 305 ppi, which a gray scan would be
  // read at 300 (within 3% of the request). A bilevel one is drawn at exactly 305, so OCR gets
  // the scan's own pixels, black and white, with no gray edges to threshold again.
  Raster r{610, 610, 1, std::vector<std::uint8_t>(610 * 610, 255)};
  for (int y = 0; y < 610; ++y) {
    for (int x = 0; x < 610; ++x) {
      if ((x / 7 + y / 3) % 5 == 0 || (x > 100 && x < 103)) {
        r.pixels[static_cast<size_t>(y) * 610 + x] = 0;
      }
    }
  }
  ScriptedOcr ocr;
  auto page = process_scan(ocr, {r, 305, true}, 300);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->ocr_dpi, 305);
  ASSERT_EQ(ocr.seen_image.width, 610);
  ASSERT_EQ(ocr.seen_image.height, 610);
  EXPECT_TRUE(ocr.seen_image.pixels == r.pixels);

  page = process_scan(ocr, {r, 305, false}, 300);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->ocr_dpi, 300) << "the same pixels in gray are resampled to the request";
}

// A scanned page (an image covering it) under an OCR layer drawn invisibly in Courier, its
// lines written into the content stream bottom first.
std::string hidden_layer_pdf(const std::vector<std::string>& lines) {
  PageSpec spec;
  Raster r{297, 421, 1, std::vector<std::uint8_t>(297 * 421, 255)};
  for (int y = 40; y < 60; ++y) {
    for (int x = 36; x < 250; ++x) r.pixels[static_cast<size_t>(y) * 297 + x] = 0;
  }
  spec.images.push_back({r, {0, 0, kA4Width, kA4Height}});
  float y = 100;
  std::vector<TextRun> runs;
  for (const auto& l : lines) {
    if (!l.empty()) runs.push_back({72, y, 10, false, l, true, true});
    y += 12;
  }
  spec.runs.assign(runs.rbegin(), runs.rend());
  return make_pdf({spec});
}

const std::vector<std::string> kBookLines = {
    "The harbour was quiet in the early morning and the boats",
    "came back slowly with their nets full of herring and cod.", "",
    "By noon the market was crowded with buyers from the town,",
    "and the prices held steady until the autumn storms began."};

TEST_F(PageProcessorTest, HiddenMonospaceLayerIsReadByPositionNotAsCode) {
  open(hidden_layer_pdf(kBookLines));
  ScriptedOcr ocr;
  auto page = process(ocr, 0);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->method, ReadMethod::kTextLayer);
  EXPECT_EQ(ocr.recognize_calls, 0);
  ASSERT_TRUE(page->hidden_layer);
  EXPECT_TRUE(page->hidden_layer->kept);
  for (const auto& b : page->blocks) {
    EXPECT_NE(b.label, Label::kCode) << describe(page->blocks);
    EXPECT_NE(b.label, Label::kImage) << "the scan itself is not a figure";
  }
  const int first = find_block(page->blocks, "The harbour was quiet");
  const int second = find_block(page->blocks, "By noon the market");
  ASSERT_GE(first, 0) << describe(page->blocks);
  ASSERT_GE(second, 0) << describe(page->blocks);
  EXPECT_LT(first, second) << "top to bottom, whatever the content stream's order";
  EXPECT_NE(first, second) << "the gap splits the paragraphs";
  EXPECT_NE(page->blocks[first].text.find("herring"), std::string::npos)
      << "the paragraph's lines are joined: " << describe(page->blocks);
}

TEST_F(PageProcessorTest, PoorHiddenLayerIsOcrdAgainUnlessKept) {
  const std::vector<std::string> garbage = {
      "Tlie hrbnr wzs qxkt 1n tbe eqrly rnorniug aud tl1e hoats",
      "cqme hxck iu l92l wjth tbcir ncts fnll 0f hcrrinq aud c0d."};
  open(hidden_layer_pdf(garbage));
  ScriptedOcr ocr;
  ocr.lines_pt = {line_at(72, 100, "The harbour was quiet in the early morning")};
  auto redone = process(ocr, 0);
  ASSERT_TRUE(redone);
  EXPECT_EQ(redone->method, ReadMethod::kOcr);
  EXPECT_EQ(ocr.recognize_calls, 1);
  ASSERT_TRUE(redone->hidden_layer);
  EXPECT_FALSE(redone->hidden_layer->kept);
  EXPECT_GE(find_block(redone->blocks, "The harbour was quiet"), 0);

  ReadOptions keep = low_dpi();
  keep.ocr_existing = OcrExisting::kKeep;
  auto kept = process(ocr, 0, keep);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->method, ReadMethod::kTextLayer);
  EXPECT_EQ(ocr.recognize_calls, 1) << "not OCR'd again";
  ASSERT_TRUE(kept->hidden_layer);
  EXPECT_TRUE(kept->hidden_layer->kept);
  EXPECT_GE(find_block(kept->blocks, "hrbnr"), 0);
}

TEST_F(PageProcessorTest, GoodHiddenLayerIsOcrdAgainWhenAskedTo) {
  open(hidden_layer_pdf(kBookLines));
  ScriptedOcr ocr;
  ReadOptions redo = low_dpi();
  redo.ocr_existing = OcrExisting::kRedo;
  auto page = process(ocr, 0, redo);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->method, ReadMethod::kOcr);
  EXPECT_EQ(ocr.recognize_calls, 1);
  ASSERT_TRUE(page->hidden_layer);
  EXPECT_EQ(page->hidden_layer->reason, "ocr_existing is redo");
}

TEST_F(PageProcessorTest, OcrFailureFailsThePageNotTheCall) {
  open(blank_scan(kA4Width, kA4Height));
  ScriptedOcr ocr;
  ocr.recognize_error = Error{ErrorCode::kOcr, "Tesseract could not recognise the page"};
  auto page = process(ocr, 0);
  ASSERT_TRUE(page) << "a page's failure is in the page";
  EXPECT_EQ(page->method, ReadMethod::kFailed);
  ASSERT_TRUE(page->error);
  EXPECT_NE(page->error->find("Tesseract"), std::string::npos);
  EXPECT_TRUE(page->blocks.empty());
}

TEST_F(PageProcessorTest, StopRequestedIsCancelled) {
  open(blank_scan(kA4Width, kA4Height));
  ScriptedOcr ocr;
  std::stop_source stop;
  stop.request_stop();
  auto page = process(ocr, 0, low_dpi(), stop.get_token());
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, ErrorCode::kCancelled);
}

// Throws what a failed allocation throws.
class OutOfMemoryOcr final : public OcrEngine {
 public:
  Result<int> detect_rotation(const Raster&, int) override { return 0; }
  Result<OcrPage> recognize(const Raster&, int, std::string_view, std::stop_token) override {
    throw std::bad_alloc();
  }
};

// Works until it is stopped, as Tesseract on an endless page would; it may first request
// `cancel` itself, as a DELETE arriving mid-page does.
class EndlessOcr final : public OcrEngine {
 public:
  std::stop_source* cancel = nullptr;
  Result<int> detect_rotation(const Raster&, int) override { return 0; }
  Result<OcrPage> recognize(const Raster&, int, std::string_view, std::stop_token stop) override {
    if (cancel != nullptr) cancel->request_stop();
    while (!stop.stop_requested()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return fail(ErrorCode::kCancelled, "OCR was stopped");
  }
};

TEST_F(PageProcessorTest, OutOfMemoryFailsThePageNotTheProcess) {
  open(blank_scan(kA4Width, kA4Height));
  OutOfMemoryOcr ocr;
  auto page = process(ocr, 0);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->method, ReadMethod::kFailed);
  EXPECT_EQ(page->error, "page 1 ran out of memory");
}

TEST_F(PageProcessorTest, TimeLimitFailsThePageNamingTheLimit) {
  open(blank_scan(kA4Width, kA4Height));
  EndlessOcr ocr;
  PageLimits limits;
  limits.timeout = std::chrono::milliseconds(100);
  auto page = process(ocr, 0, low_dpi(), {}, limits);
  ASSERT_TRUE(page) << "a page past its time fails; the job goes on";
  EXPECT_EQ(page->method, ReadMethod::kFailed);
  EXPECT_EQ(page->error, "page 1 ran past the 0.1 s page time limit");
}

TEST_F(PageProcessorTest, CancelledJobIsCancelledNotATimeout) {
  open(blank_scan(kA4Width, kA4Height));
  std::stop_source job;
  EndlessOcr ocr;
  ocr.cancel = &job;
  auto page = process(ocr, 0, low_dpi(), job.get_token());
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, ErrorCode::kCancelled);
}

TEST_F(PageProcessorTest, WhitePageIsBlankWithoutOcr) {
  Raster r{300, 400, 1, {}};
  r.pixels.assign(300 * 400, 255);
  open(image_pdf({{r, 72}}));
  ScriptedOcr ocr;
  auto page = process(ocr, 0);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->method, ReadMethod::kBlank);
  EXPECT_FALSE(page->error);
  EXPECT_EQ(ocr.recognize_calls, 0);
  EXPECT_EQ(ocr.detect_calls, 0);
}

TEST_F(PageProcessorTest, PageOutOfRangeIsAFailedPage) {
  open(paper_pdf());
  ScriptedOcr ocr;
  auto page = process(ocr, 5);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->method, ReadMethod::kFailed);
  EXPECT_TRUE(page->error);
}

TEST_F(PageProcessorTest, FigureIsWrittenUnderItsName) {
  open(make_pdf({paper_page(), figure_page()}));
  ScriptedOcr ocr;
  auto page = process(ocr, 1);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->method, ReadMethod::kTextLayer);
  EXPECT_TRUE(std::filesystem::is_regular_file(images() / "1_0.jpg"))
      << "named by the PDF's page index";
  EXPECT_FALSE(std::filesystem::exists(images() / "0_0.jpg"));
}

TEST_F(PageProcessorTest, EachWorkerCanTakeAnyPage) {
  // The service hands pages to workers in any order: the same page processed twice, and pages
  // out of order, give the same results.
  open(make_pdf({figure_page(), paper_page()}));
  ScriptedOcr ocr;
  auto second = process(ocr, 1);
  auto first = process(ocr, 0);
  auto again = process(ocr, 1);
  ASSERT_TRUE(second && first && again);
  EXPECT_EQ(second->page_index, 1);
  EXPECT_EQ(first->page_index, 0);
  ASSERT_EQ(second->blocks.size(), again->blocks.size());
  for (size_t i = 0; i < second->blocks.size(); ++i) {
    EXPECT_EQ(second->blocks[i].text, again->blocks[i].text);
    EXPECT_EQ(second->blocks[i].box, again->blocks[i].box);
  }
}

TEST_F(PageProcessorTest, BrokenImagePageIsReportedWithRealTesseract) {
  open(pdf_with_broken_page(BrokenPage::kGarbageImage));
  TesseractEngine ocr;
  auto page = process(ocr, 1);
  ASSERT_TRUE(page);
  const bool failed = page->method == ReadMethod::kFailed && page->error.has_value();
  EXPECT_TRUE(failed || !page->warnings.empty())
      << "method " << to_string(page->method) << ", no error and no warnings";
  // The pages around it are fine.
  auto next = process(ocr, 2);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->method, ReadMethod::kTextLayer);
  EXPECT_TRUE(next->warnings.empty()) << "warnings do not leak from one page to the next";
}

TEST_F(PageProcessorTest, AnAreaOfThePageIsDrawnAsTheSamePixelsOfTheWholePage) {
  // Figures on text pages are cropped from a render of their area alone.
  auto& doc = open(figure_pdf());
  auto whole = doc.render(0, 150, 3, PageLimits{}.max_render_pixels);
  auto area =
      doc.render_area(0, 150, {100.3f, 200.6f, 300.2f, 410.9f}, PageLimits{}.max_render_pixels);
  ASSERT_TRUE(whole && area);
  ASSERT_FALSE(area->raster.empty());
  EXPECT_LT(area->raster.width, whole->width / 2);
  const Raster same = crop(*whole, area->x0, area->y0, area->x0 + area->raster.width,
                           area->y0 + area->raster.height);
  ASSERT_EQ(same.width, area->raster.width);
  ASSERT_EQ(same.height, area->raster.height);
  int differing = 0;  // anti-aliased edges may round differently at the area's border
  for (size_t i = 0; i < same.pixels.size(); ++i) {
    differing += std::abs(same.pixels[i] - area->raster.pixels[i]) > 8;
  }
  EXPECT_LT(differing, static_cast<int>(same.pixels.size() / 100));
  long ink = 0;
  for (auto v : area->raster.pixels) ink += v < 128;
  EXPECT_GT(ink, 0) << "the figure's area is not blank";
  // An area off the page draws nothing, and is no error.
  auto off = doc.render_area(0, 150, {2000, 2000, 2100, 2100}, PageLimits{}.max_render_pixels);
  ASSERT_TRUE(off);
  EXPECT_TRUE(off->raster.empty());
}

TEST_F(PageProcessorTest, APageRepeatingTheLastPagesWarningStillReportsIt) {
  // MuPDF holds back a warning equal to the one before it: pages damaged alike, read one after
  // the other by one worker, must each say what is wrong.
  open(pdf_with_dangling_links(3));
  ScriptedOcr ocr;
  for (int i = 0; i < 3; ++i) {
    auto page = process(ocr, i);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->method, ReadMethod::kTextLayer);
    EXPECT_EQ(page->warnings, std::vector<std::string>{"MuPDF: undefined link destination"})
        << "page " << i + 1;
  }
}

}  // namespace
}  // namespace docmill
