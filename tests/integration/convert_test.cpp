// docmill::convert_document end to end with real MuPDF and Tesseract, on PDFs the tests make:
// a born-digital paper page, the same page scanned, scanned sideways, a figure, a mixed
// document, and page selections. Then `docmill convert` over many files (the real binary):
// directories, a broken file among good ones, name clashes, --format subsets.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "ocr/tesseract_engine.h"
#include "pdf/pdf_document.h"
#include "pipeline/batch_converter.h"
#include "support/conversion.h"
#include "support/pdf_factory.h"

namespace docmill {
namespace {

using namespace docmill::testing;
using nlohmann::json;

const std::regex kTag(
    R"(<\|ref\|>([a-z_]+)<\|/ref\|><\|det\|>\[\[(\d+), (\d+), (\d+), (\d+)\]\]<\|/det\|>)");

// True when some line of `md` is a markdown heading ("#"s, a space) whose text contains `text`.
bool has_heading(const std::string& md, std::string_view text, int min_hashes = 1) {
  size_t start = 0;
  while (start < md.size()) {
    size_t end = md.find('\n', start);
    if (end == std::string::npos) end = md.size();
    const std::string_view line(md.data() + start, end - start);
    const size_t hashes = line.find_first_not_of('#');
    if (hashes != std::string_view::npos && hashes >= static_cast<size_t>(min_hashes) &&
        hashes <= 6 && line[hashes] == ' ' && contains_ci(line, text)) {
      return true;
    }
    start = end + 1;
  }
  return false;
}

// Every tag of output_det.md is well formed with 0-999 coordinates; returns how many there are.
int check_tags(const std::string& det) {
  int n = 0;
  for (std::sregex_iterator it(det.begin(), det.end(), kTag), end; it != end; ++it) {
    ++n;
    for (int k = 2; k <= 5; ++k) {
      const int v = std::stoi((*it)[k].str());
      EXPECT_GE(v, 0);
      EXPECT_LE(v, 999);
    }
    EXPECT_LE(std::stoi((*it)[2].str()), std::stoi((*it)[4].str())) << "x1 <= x2";
    EXPECT_LE(std::stoi((*it)[3].str()), std::stoi((*it)[5].str())) << "y1 <= y2";
  }
  return n;
}

// The pages.json block whose text contains `text`; null when none.
const json* block_with(const json& page, std::string_view text) {
  for (const auto& b : page["blocks"]) {
    if (contains_ci(b["text"].get<std::string>(), text)) return &b;
  }
  return nullptr;
}

// `pages` converted; the layout PDF may also keep the pages that were not selected (API.md: "one
// page per input page"), so it has `pages` to `input_pages` pages.
void expect_all_outputs(const Conversion& c, int pages, int input_pages = 0) {
  for (const char* f : {"output.md", "output_det.md", "layout.pdf", "pages.json"}) {
    EXPECT_TRUE(std::filesystem::is_regular_file(c.out / f)) << f;
  }
  EXPECT_TRUE(std::filesystem::is_directory(c.out / "images"));
  auto layout = probe_pdf(c.out / "layout.pdf");
  ASSERT_TRUE(layout) << layout.error().message;
  EXPECT_GE(*layout, pages) << "the layout PDF has a page per converted page";
  EXPECT_LE(*layout, std::max(pages, input_pages));
  ASSERT_TRUE(c.pages.is_array()) << "pages.json parses";
  EXPECT_EQ(c.pages.size(), static_cast<size_t>(pages));
  int blocks = 0;
  for (const auto& p : c.pages) {
    for (const char* key : {"page", "method", "rotation", "blocks", "mean_confidence", "millis",
                            "warnings", "error", "width_pt", "height_pt"}) {
      EXPECT_TRUE(p.contains(key)) << key;
    }
    for (const auto& b : p["blocks"]) {
      EXPECT_TRUE(parse_label(b["label"].get<std::string>())) << b.dump();
      ASSERT_EQ(b["box"].size(), 4u);
      EXPECT_TRUE(b["text"].is_string());
      ++blocks;
    }
  }
  EXPECT_EQ(check_tags(c.markdown_det), blocks) << "one tag per block of pages.json";
  // Pages are split the same way in both markdown files.
  const auto splits = [](const std::string& s) {
    int n = 0;
    for (size_t at = s.find("<--- Page Split --->"); at != std::string::npos;
         at = s.find("<--- Page Split --->", at + 1)) {
      ++n;
    }
    return n;
  };
  EXPECT_EQ(splits(c.markdown), pages - 1);
  EXPECT_EQ(splits(c.markdown_det), pages - 1);
}

// The paper page's content, wherever it was read from. `whole_columns`: the left column is
// read to its end before the right one starts.
void expect_paper_content(const std::string& md, bool whole_columns = true) {
  SCOPED_TRACE(md);
  EXPECT_TRUE(has_heading(md, PaperWords::kTitle)) << "the title is a heading";
  EXPECT_TRUE(has_heading(md, "Introduction", 2)) << "a section heading below the title";
  EXPECT_TRUE(has_heading(md, "Related Work", 2));
  const size_t left = find_ci(md, PaperWords::kLeftStart);
  const size_t left_end = find_ci(md, PaperWords::kLeftEnd);
  const size_t right = find_ci(md, PaperWords::kRightStart);
  ASSERT_NE(left, std::string::npos);
  ASSERT_NE(left_end, std::string::npos);
  ASSERT_NE(right, std::string::npos);
  EXPECT_LT(left, right) << "left column before right column";
  if (whole_columns) {
    EXPECT_LT(left_end, right) << "the whole left column before the right one";
  }
  EXPECT_TRUE(contains_ci(md, "measure the information stored")) << "dehyphenated";
  EXPECT_FALSE(contains_ci(md, "infor-"));
  EXPECT_FALSE(contains_ci(md, "Workshop on Synthetic")) << "running header left out";
}

TEST(Convert, BornDigitalPaperPage) {
  const auto c = convert_bytes(paper_pdf(), fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  EXPECT_EQ(c->summary->pages, 1);
  EXPECT_EQ(c->summary->ocr_pages, 0);
  EXPECT_EQ(c->summary->failed_pages, 0);
  expect_all_outputs(*c, 1);

  const json& p = c->page(0);
  EXPECT_EQ(p["method"], "text_layer");
  EXPECT_EQ(p["rotation"], 0);
  EXPECT_TRUE(p["mean_confidence"].is_null()) << "no OCR, no confidence";
  EXPECT_TRUE(p["error"].is_null());
  // Text-layer pages are read in Poppler's reading flow (pdftotext's order, what the corpus
  // ground truth is). On this page it reads the two section headings that share a baseline as
  // one row, and the right column before the left column's second paragraph: pdftotext does
  // the same. The OCR'd page below is read column by column.
  expect_paper_content(c->markdown, false);
  // The exact heading marks come from relative font size: 24 pt title, 14 pt sections.
  EXPECT_NE(c->markdown.find("# Reading Order in Synthetic Papers\n"), std::string::npos);
  EXPECT_NE(c->markdown.find("## 1 Introduction\n"), std::string::npos);
  // Text-layer text is exact, word for word.
  EXPECT_NE(c->markdown.find("Glaciers carve deep valleys into the mountains over many thousands "
                             "of years."),
            std::string::npos);

  // The page number and header are tagged in output_det.md, with boxes where they were put.
  EXPECT_NE(c->markdown_det.find("<|ref|>header<|/ref|>"), std::string::npos);
  EXPECT_NE(c->markdown_det.find("<|ref|>page_number<|/ref|>"), std::string::npos);
  EXPECT_NE(c->markdown_det.find("<|ref|>title<|/ref|><|det|>[[121, "), std::string::npos)
      << "the title starts at x = 72 pt: 72 / 595 * 999 = 121";
  const json* right = block_with(p, PaperWords::kRightStart);
  ASSERT_NE(right, nullptr);
  EXPECT_GT((*right)["box"][0].get<int>(), 500) << "the right column is right of the middle";

  ASSERT_FALSE(c->progress.empty());
  EXPECT_EQ(c->progress.back().done, 1);
  EXPECT_EQ(c->progress.back().total, 1);
}

TEST(Convert, ScannedPaperPageIsOcrd) {
  const auto c = convert_bytes(scanned_pdf(paper_pdf(), 200), fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  EXPECT_EQ(c->summary->ocr_pages, 1);
  expect_all_outputs(*c, 1);
  const json& p = c->page(0);
  EXPECT_EQ(p["method"], "ocr");
  EXPECT_EQ(p["rotation"], 0);
  EXPECT_FALSE(p.contains("rotation_check")) << "no turn was proposed";
  EXPECT_EQ(p["ocr_dpi"], 300) << "a 200 ppi scan is upsampled to 300";
  EXPECT_NEAR(p["image_ppi"].get<double>(), 200, 1);
  ASSERT_TRUE(p["mean_confidence"].is_number());
  EXPECT_GT(p["mean_confidence"].get<double>(), 70) << "clean 200 dpi render";
  EXPECT_LE(p["mean_confidence"].get<double>(), 100);
  for (const char* w : {"Glaciers", "moraines", "telescopes", "hydrogen", "photometry",
                        "ultraviolet", "elliptical", "sediment"}) {
    EXPECT_TRUE(contains_ci(c->markdown, w)) << w << " in\n" << c->markdown;
  }
  expect_paper_content(c->markdown);
  const json* left = block_with(p, "Glaciers carve");
  ASSERT_NE(left, nullptr);
  EXPECT_NEAR((*left)["box"][0].get<int>(), 121, 10) << "OCR boxes are in page coordinates";
}

TEST(Convert, BilevelScanIsReadFromItsOwnPixels) {
  // A fax-like scan: one bit per pixel at 260 ppi. Drawn at exactly 260 dpi, every pixel is
  // the scan's, black or white, and Tesseract reads it as a 1-bit image.
  std::vector<ScanPage> pages;
  for (auto& r : render_pages(paper_pdf(), 260)) pages.push_back({std::move(r), 260, true});
  const auto c = convert_bytes(image_pdf(pages), fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  const json& p = c->page(0);
  EXPECT_EQ(p["method"], "ocr");
  EXPECT_EQ(p["ocr_dpi"], 260);
  EXPECT_GT(p["mean_confidence"].get<double>(), 70);
  for (const char* w : {"Glaciers", "moraines", "telescopes", "hydrogen", "photometry",
                        "ultraviolet", "elliptical", "sediment"}) {
    EXPECT_TRUE(contains_ci(c->markdown, w)) << w << " in\n" << c->markdown;
  }
}

TEST(Convert, ForceOcrOcrsABornDigitalPage) {
  ConvertOptions o = fast_options();
  o.read.force_ocr = true;
  const auto c = convert_bytes(paper_pdf(), o);
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  EXPECT_EQ(c->page(0)["method"], "ocr");
  EXPECT_EQ(c->summary->ocr_pages, 1);
  EXPECT_TRUE(contains_ci(c->markdown, "telescopes"));
}

TEST(Convert, SidewaysScanIsTurnedUpright) {
  const auto c = convert_bytes(scanned_pdf(paper_pdf(), 200, 90), fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  expect_all_outputs(*c, 1);
  const json& p = c->page(0);
  EXPECT_EQ(p["method"], "ocr");
  const int rotation = p["rotation"].get<int>();
  EXPECT_TRUE(rotation == 90 || rotation == 270)
      << rotation << " " << p.value("rotation_check", json()).dump();
  EXPECT_GT(p["width_pt"].get<double>(), p["height_pt"].get<double>()) << "the page is landscape";
  for (const char* w : {"Glaciers", "telescopes", "hydrogen", "moraines"}) {
    EXPECT_TRUE(contains_ci(c->markdown, w)) << w << " in\n" << c->markdown;
  }
  EXPECT_LT(find_ci(c->markdown, PaperWords::kLeftStart),
            find_ci(c->markdown, PaperWords::kRightStart));
}

TEST(Convert, UpsideDownScanIsStillTurned) {
  const auto c = convert_bytes(scanned_pdf(paper_pdf(), 200, 180), fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  const json& p = c->page(0);
  EXPECT_EQ(p["rotation"], 180);
  ASSERT_TRUE(p.contains("rotation_check"));
  EXPECT_EQ(p["rotation_check"]["applied"], 180);
  EXPECT_GT(p["rotation_check"]["strip_confidence_turned"].get<double>(),
            p["rotation_check"]["strip_confidence_as_is"].get<double>());
  for (const char* w : {"Glaciers", "telescopes", "hydrogen"}) {
    EXPECT_TRUE(contains_ci(c->markdown, w)) << w << " in\n" << c->markdown;
  }
}

TEST(Convert, SidewaysScanBoxesLandOnTheText) {
  // The sheet was turned clockwise by 90: the upright page's top edge is now on the right, so
  // the title (upright y 79-118 of 999) lies at x = 999 - y, near the right edge.
  const auto c = convert_bytes(scanned_pdf(paper_pdf(), 200, 90), fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  const json* title = block_with(c->page(0), "Synthetic Papers");
  ASSERT_NE(title, nullptr);
  const auto& box = (*title)["box"];
  EXPECT_NEAR(box[0].get<int>(), 999 - 118, 20);
  EXPECT_NEAR(box[2].get<int>(), 999 - 79, 20);
  EXPECT_NEAR(box[1].get<int>(), 121, 20);
}

TEST(Convert, BlankLineBetweenParagraphsSplitsThem) {
  const auto c = convert_bytes(paper_pdf(), fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  const json* first = block_with(c->page(0), "Glaciers carve");
  const json* second = block_with(c->page(0), "The glaciers retreated");
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_NE(first, second) << "one paragraph per block";
  EXPECT_NE(c->markdown.find("of the past.\n\n"), std::string::npos) << "the paragraph ends";
}

// A JPEG's dimensions from its SOF marker.
std::pair<int, int> jpeg_size(const std::string& b) {
  for (size_t i = 2; i + 9 < b.size(); ++i) {
    const auto u = [&](size_t k) { return static_cast<unsigned char>(b[k]); };
    if (u(i) == 0xFF && (u(i + 1) == 0xC0 || u(i + 1) == 0xC2)) {
      return {u(i + 7) << 8 | u(i + 8), u(i + 5) << 8 | u(i + 6)};
    }
  }
  return {0, 0};
}

TEST(Convert, FigureIsCroppedWrittenAndLinked) {
  const auto c = convert_bytes(figure_pdf(), fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  expect_all_outputs(*c, 1);
  const auto jpg = c->out / "images" / "0_0.jpg";
  ASSERT_TRUE(std::filesystem::is_regular_file(jpg));
  const std::string bytes = read_bytes(jpg);
  ASSERT_GT(bytes.size(), 100u);
  EXPECT_EQ(static_cast<unsigned char>(bytes[0]), 0xFF);
  EXPECT_EQ(static_cast<unsigned char>(bytes[1]), 0xD8);
  // 300 x 200 pt cropped from a render: aspect 3:2, at least 72 dpi.
  const auto [w, h] = jpeg_size(bytes);
  EXPECT_GE(w, 300);
  EXPECT_NEAR(static_cast<double>(w) / h, 1.5, 0.05) << w << "x" << h;

  const size_t link = c->markdown.find("![](images/0_0.jpg)");
  ASSERT_NE(link, std::string::npos) << c->markdown;
  const size_t caption = c->markdown.find(kFigureCaption);
  ASSERT_NE(caption, std::string::npos);
  EXPECT_LT(link, caption) << "the caption follows its figure";
  EXPECT_LT(c->markdown.find("winter campaign"), link);
  EXPECT_GT(c->markdown.find("error bars"), caption);
  EXPECT_NE(c->markdown_det.find("<|ref|>image<|/ref|>"), std::string::npos);
  EXPECT_NE(c->markdown_det.find("<|ref|>image_caption<|/ref|>"), std::string::npos);
  EXPECT_EQ(c->markdown_det.find("![]"), std::string::npos) << "no links in output_det.md";
  // Every linked image exists, and nothing else was written.
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(c->out / "images")) {
    ++files;
    EXPECT_NE(c->markdown.find("images/" + e.path().filename().string()), std::string::npos);
  }
  EXPECT_EQ(files, 1);
  const json* img = nullptr;
  for (const auto& b : c->page(0)["blocks"]) {
    if (b["label"] == "image") img = &b;
  }
  ASSERT_NE(img, nullptr);
  EXPECT_EQ((*img)["image_index"], 0);
  EXPECT_NEAR((*img)["box"][1].get<int>(), 333, 3) << "a third of the way down";
}

// A second text page with words of its own, for the multi-page tests.
PageSpec letter_page(std::string_view word) {
  PageSpec p;
  p.runs.push_back({72, 100, 16, true, "Notes on " + std::string(word)});
  p.runs.push_back(
      {72, 130, 12, false, "The harbour was busy with fishing boats before dawn, and"});
  p.runs.push_back(
      {72, 146, 12, false,
       "the market opened as soon as the first crates of " + std::string(word) + " arrived."});
  p.runs.push_back(
      {72, 162, 12, false, "Merchants argued about prices while gulls circled above."});
  return p;
}

TEST(Convert, MixedDocumentReadsEachPageItsOwnWay) {
  // Page 1 born digital, page 2 a scan of another page: as a scanned appendix would be.
  const auto scan = render_pages(make_pdf({letter_page("mackerel")}), 200);
  ASSERT_EQ(scan.size(), 1u);
  PageSpec scanned;
  scanned.images.push_back({scan[0], {0, 0, kA4Width, kA4Height}});
  const auto c = convert_bytes(make_pdf({paper_page(), scanned}), fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  EXPECT_EQ(c->summary->pages, 2);
  EXPECT_EQ(c->summary->ocr_pages, 1);
  expect_all_outputs(*c, 2);
  EXPECT_EQ(c->page(0)["method"], "text_layer");
  EXPECT_EQ(c->page(1)["method"], "ocr");
  EXPECT_TRUE(c->page(0)["mean_confidence"].is_null());
  EXPECT_TRUE(c->page(1)["mean_confidence"].is_number());
  const size_t split = c->markdown.find("\n\n<--- Page Split --->\n\n");
  ASSERT_NE(split, std::string::npos);
  EXPECT_LT(find_ci(c->markdown, "telescopes"), split);
  EXPECT_GT(find_ci(c->markdown, "mackerel"), split);
  EXPECT_GT(find_ci(c->markdown, "Merchants argued"), split);
  EXPECT_TRUE(c->progress.size() == 2 && c->progress.back().done == 2);
}

TEST(Convert, PageSelectionConvertsOnlyThosePages) {
  // --pages 2-3 of three: page indices stay those of the PDF, in pages.json and image names.
  const auto c =
      convert_bytes(make_pdf({letter_page("herring"), letter_page("sardines"), figure_page()}), [] {
        ConvertOptions o = fast_options();
        o.pages = "2-3";
        return o;
      }());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  EXPECT_EQ(c->summary->pages, 2);
  expect_all_outputs(*c, 2, 3);
  EXPECT_TRUE(c->page(0).is_null()) << "page 1 was not selected";
  EXPECT_EQ(c->page(1)["method"], "text_layer");
  EXPECT_EQ(c->page(2)["method"], "text_layer");
  EXPECT_FALSE(contains_ci(c->markdown, "herring"));
  EXPECT_TRUE(contains_ci(c->markdown, "sardines"));
  EXPECT_NE(c->markdown.find("![](images/2_0.jpg)"), std::string::npos) << c->markdown;
  EXPECT_TRUE(std::filesystem::is_regular_file(c->out / "images" / "2_0.jpg"));
}

TEST(Convert, PageSelectionPastTheEndIsRefused) {
  ConvertOptions o = fast_options();
  o.pages = "2,5";
  const auto c = convert_bytes(make_pdf({letter_page("cod"), letter_page("plaice")}), o);
  ASSERT_FALSE(c->summary);
  EXPECT_EQ(c->summary.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(c->summary.error().message.find("2 pages"), std::string::npos)
      << c->summary.error().message;
  EXPECT_FALSE(std::filesystem::exists(c->out / "output.md"));
}

TEST(Convert, UninstalledLanguageIsUnsupportedWithAHint) {
  ConvertOptions o = fast_options();
  o.read.lang = "eng+xyz";
  const auto c = convert_bytes(paper_pdf(), o);
  ASSERT_FALSE(c->summary);
  EXPECT_EQ(c->summary.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(c->summary.error().message.find("xyz"), std::string::npos);
  EXPECT_NE(c->summary.error().message.find("apt-get install"), std::string::npos);
}

TEST(Convert, ManyTextPagesInParallelKeepTheirOrder) {
  // Workers finish out of order; the outputs must not.
  std::vector<PageSpec> pages;
  const std::vector<std::string> fish = {"anchovy",  "bream",   "carp",    "dace", "eel",
                                         "flounder", "grouper", "halibut", "ide",  "john dory"};
  for (const auto& f : fish) pages.push_back(letter_page(f));
  ConvertOptions o = fast_options();
  o.threads = 4;
  const auto c = convert_bytes(make_pdf(pages), o);
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  expect_all_outputs(*c, 10);
  size_t last = 0;
  for (const auto& f : fish) {
    const size_t at = c->markdown.find("Notes on " + f);
    ASSERT_NE(at, std::string::npos) << f;
    EXPECT_GE(at, last) << f;
    last = at;
  }
  for (int i = 0; i < 10; ++i) EXPECT_EQ(c->pages[i]["page"], i);
  EXPECT_EQ(c->progress.size(), 10u);
}

// ---- `docmill convert` over many files ----

struct CliRun {
  int exit_code = -1;  // -1: it did not exit normally
  std::string err;     // its stderr
};

// `docmill convert ARGS...`, waited for; stdout to /dev/null, stderr kept.
CliRun run_convert(const std::vector<std::string>& args, const TempDir& logs) {
  std::vector<std::string> all = {DOCMILL_BINARY, "convert", "--threads", "2", "--dpi", "200"};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  const auto err_file = logs / "stderr.txt";
  const int err_fd = open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (err_fd < 0 || null_fd < 0) throw std::runtime_error("cannot open the log files");
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork() failed");
  if (pid == 0) {
    dup2(null_fd, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(err_fd);
  close(null_fd);
  int status = 0;
  waitpid(pid, &status, 0);
  CliRun run;
  if (WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
  run.err = read_bytes(err_file);
  return run;
}

// A one-page text PDF that says `word`, so that each output can be told apart.
std::string word_pdf(const std::string& word) {
  return text_pdf({{{.x = 72, .y = 100, .size = 12, .text = "This document is about " + word}}});
}

void write_pdf(const std::filesystem::path& path, std::string_view bytes) {
  std::filesystem::create_directories(path.parent_path());
  write_bytes(path, bytes);
}

TEST(ConvertMany, FilesAndANestedDirectoryEachGetTheirOwnDirectory) {
  TempDir dir;
  write_pdf(dir / "in" / "apples.pdf", word_pdf("apples"));
  write_pdf(dir / "in" / "pears.pdf", word_pdf("pears"));
  write_pdf(dir / "tree" / "deep" / "plums.pdf", word_pdf("plums"));
  write_pdf(dir / "tree" / "notes.txt", "not a PDF, and not named like one");
  const auto out = dir / "out";
  const auto run =
      run_convert({(dir / "in" / "apples.pdf").string(), (dir / "in" / "pears.pdf").string(),
                   (dir / "tree").string(), "-o", out.string()},
                  dir);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  for (const std::string word : {"apples", "pears", "plums"}) {
    SCOPED_TRACE(word);
    EXPECT_TRUE(contains_ci(read_bytes(out / word / "output.md"), "about " + word));
    for (const char* f : {"output_det.md", "layout.pdf", "pages.json"}) {
      EXPECT_TRUE(std::filesystem::exists(out / word / f)) << f;
    }
  }
  EXPECT_FALSE(std::filesystem::exists(out / "notes"))
      << "a directory's non-PDF files are left alone";
  EXPECT_FALSE(std::filesystem::exists(out / "output.md"))
      << "several inputs: nothing in OUT itself";
  EXPECT_TRUE(contains_ci(run.err, "3 of 3 documents converted")) << run.err;
}

TEST(ConvertMany, ABrokenFileFailsAloneWithItsMessage) {
  TempDir dir;
  write_pdf(dir / "in" / "good.pdf", word_pdf("apples"));
  write_pdf(dir / "in" / "broken.pdf", plain_text_bytes());
  write_pdf(dir / "in" / "later.pdf", word_pdf("pears"));
  const auto out = dir / "out";
  const auto run = run_convert({(dir / "in").string(), "-o", out.string()}, dir);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_TRUE(contains_ci(read_bytes(out / "good" / "output.md"), "about apples"));
  EXPECT_TRUE(contains_ci(read_bytes(out / "later" / "output.md"), "about pears"));
  EXPECT_FALSE(std::filesystem::exists(out / "broken" / "output.md"));
  const std::string line = "docmill: " + (dir / "in" / "broken.pdf").string() + ": ";
  EXPECT_TRUE(contains_ci(run.err, line + "the file is not a PDF")) << run.err;
  EXPECT_TRUE(contains_ci(run.err, "2 of 3 documents converted, 1 failed")) << run.err;
}

TEST(ConvertMany, TwoFilesOfOneNameGoToDistinctDirectories) {
  TempDir dir;
  write_pdf(dir / "a" / "report.pdf", word_pdf("apples"));
  write_pdf(dir / "b" / "report.pdf", word_pdf("pears"));
  const auto out = dir / "out";
  const auto run = run_convert(
      {(dir / "a").string(), (dir / "b" / "report.pdf").string(), "-o", out.string()}, dir);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains_ci(read_bytes(out / "report" / "output.md"), "about apples"));
  EXPECT_TRUE(contains_ci(read_bytes(out / "report-2" / "output.md"), "about pears"));
  EXPECT_TRUE(contains_ci(run.err, (out / "report-2").string()))
      << "the clash is told: " << run.err;
}

TEST(ConvertMany, OnePdfFileWritesIntoOutItself) {
  TempDir dir;
  write_pdf(dir / "apples.pdf", word_pdf("apples"));
  const auto out = dir / "out";
  const auto run = run_convert({(dir / "apples.pdf").string(), "-o", out.string()}, dir);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains_ci(read_bytes(out / "output.md"), "about apples"));
  for (const char* f : {"output_det.md", "layout.pdf", "pages.json", "images"}) {
    EXPECT_TRUE(std::filesystem::exists(out / f)) << f;
  }
  EXPECT_FALSE(std::filesystem::exists(out / "apples"));
}

TEST(ConvertMany, OneBrokenPdfFileExitsOneWithItsMessage) {
  TempDir dir;
  write_pdf(dir / "broken.pdf", plain_text_bytes());
  const auto run = run_convert({(dir / "broken.pdf").string(), "-o", (dir / "out").string()}, dir);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(contains_ci(run.err, "broken.pdf: the file is not a PDF")) << run.err;
}

TEST(ConvertMany, FormatMdWritesOnlyTheMarkdownAndItsFigures) {
  TempDir dir;
  write_pdf(dir / "figure.pdf", figure_pdf());
  const auto out = dir / "out";
  const auto run =
      run_convert({(dir / "figure.pdf").string(), "-o", out.string(), "--format", "md"}, dir);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains_ci(read_bytes(out / "output.md"), "images/0_0.jpg"));
  EXPECT_TRUE(std::filesystem::is_regular_file(out / "images" / "0_0.jpg"));
  for (const char* f : {"output_det.md", "layout.pdf", "pages.json", "searchable.pdf"}) {
    EXPECT_FALSE(std::filesystem::exists(out / f)) << f;
  }
}

TEST(ConvertMany, FormatJsonAndPdfWriteNoMarkdownAndCropNoFigures) {
  TempDir dir;
  write_pdf(dir / "in" / "figure.pdf", figure_pdf());
  write_pdf(dir / "in" / "apples.pdf", word_pdf("apples"));
  const auto out = dir / "out";
  const auto run = run_convert(
      {(dir / "in").string(), "-o", out.string(), "--format", "json", "--format=pdf"}, dir);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  for (const char* doc : {"figure", "apples"}) {
    SCOPED_TRACE(doc);
    EXPECT_TRUE(std::filesystem::exists(out / doc / "pages.json"));
    EXPECT_TRUE(std::filesystem::exists(out / doc / "layout.pdf"));
    for (const char* f : {"output.md", "output_det.md", "images", "searchable.pdf"}) {
      EXPECT_FALSE(std::filesystem::exists(out / doc / f)) << f;
    }
  }
  // The figure is still found and placed; only its crop is not written.
  const auto pages = nlohmann::json::parse(read_bytes(out / "figure" / "pages.json"));
  bool image_block = false;
  for (const auto& b : pages[0]["blocks"]) image_block |= b["label"] == "image";
  EXPECT_TRUE(image_block) << pages.dump();

  const auto comma = run_convert(
      {(dir / "in" / "apples.pdf").string(), "-o", (dir / "c").string(), "--format", "json,pdf"},
      dir);
  EXPECT_EQ(comma.exit_code, 0) << comma.err;
  EXPECT_TRUE(std::filesystem::exists(dir / "c" / "pages.json"));
  EXPECT_TRUE(std::filesystem::exists(dir / "c" / "layout.pdf"));
  EXPECT_FALSE(std::filesystem::exists(dir / "c" / "output.md"));
}

TEST(ConvertMany, FormatSearchableWritesOnlyTheSearchablePdf) {
  TempDir dir;
  const std::string input = word_pdf("apples");
  write_pdf(dir / "apples.pdf", input);
  const auto out = dir / "out";
  const auto run = run_convert(
      {(dir / "apples.pdf").string(), "-o", out.string(), "--format", "searchable"}, dir);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  // A born-digital page gets no text layer: the input itself.
  EXPECT_EQ(read_bytes(out / "searchable.pdf"), input);
  for (const char* f : {"output.md", "output_det.md", "layout.pdf", "pages.json", "images"}) {
    EXPECT_FALSE(std::filesystem::exists(out / f)) << f;
  }
}

TEST(ConvertMany, UnknownFormatIsABadFlag) {
  TempDir dir;
  write_pdf(dir / "apples.pdf", word_pdf("apples"));
  const auto run = run_convert(
      {(dir / "apples.pdf").string(), "-o", (dir / "out").string(), "--format", "md,docx"}, dir);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(contains_ci(run.err, "'docx'")) << run.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "out" / "output.md"));
}

// The batch converter itself: one progress over all pages of all documents, each document's
// own summary, a failed one in its place.
TEST(ConvertBatch, ProgressCoversAllDocumentsAndFailuresStayInTheirPlace) {
  TempDir dir;
  write_pdf(dir / "three.pdf",
            text_pdf({{{.text = "Page one"}}, {{.text = "Page two"}}, {{.text = "Page three"}}}));
  write_pdf(dir / "broken.pdf", plain_text_bytes());
  write_pdf(dir / "one.pdf", word_pdf("apples"));
  const std::vector<BatchDocument> docs = {{dir / "three.pdf", dir / "out" / "three"},
                                           {dir / "broken.pdf", dir / "out" / "broken"},
                                           {dir / "one.pdf", dir / "out" / "one"}};
  std::vector<ConvertProgress> progress;
  auto outcomes = convert_batch(docs, fast_options(), [&](const ConvertProgress& p) {
    progress.push_back(p);  // called one at a time
  });
  ASSERT_TRUE(outcomes) << outcomes.error().message;
  ASSERT_EQ(outcomes->size(), 3u);
  ASSERT_TRUE((*outcomes)[0]) << (*outcomes)[0].error().message;
  EXPECT_EQ((*outcomes)[0]->pages, 3);
  ASSERT_FALSE((*outcomes)[1]);
  EXPECT_EQ((*outcomes)[1].error().code, ErrorCode::kNotPdf);
  ASSERT_TRUE((*outcomes)[2]) << (*outcomes)[2].error().message;
  EXPECT_EQ((*outcomes)[2]->pages, 1);
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back().done, 4);
  EXPECT_EQ(progress.back().total, 4);
  EXPECT_EQ(progress.back().documents_done, 3);
  EXPECT_EQ(progress.back().documents_total, 3);
  const auto pages = nlohmann::json::parse(read_bytes(dir / "out" / "three" / "pages.json"));
  ASSERT_EQ(pages.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(pages[i]["page"], i);
}

}  // namespace
}  // namespace docmill
