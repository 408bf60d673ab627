// libFuzzer target: untrusted bytes through everything docmill does to a PDF before OCR — the
// upload probe, opening, the page count, and for the first pages their size, text layer,
// figures, Poppler's reading flow, layout, markdown and the page JSON (where invalid UTF-8 from
// a hostile ToUnicode map would throw).
//
// Build and run: `scripts/fuzz.sh SECONDS` (Debian's clang-16, -DDOCMILL_FUZZ=ON; the script
// seeds the corpus and says where a crash's input is). Keep each crash's input as
// tests/hostile/<what-it-is>.pdf: the script seeds every run with them, so a fix stays fixed.
// Only docmill's own code is instrumented (MuPDF and Poppler are Debian's static and shared
// builds): coverage guides the search through what docmill does with what the parsers return,
// and ASan sees the parsers' bad frees and overflows only where they pass through libc.
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "layout/figure_finder.h"
#include "layout/flow_order.h"
#include "layout/layout_analyzer.h"
#include "pdf/mupdf_context.h"
#include "pdf/pdf_document.h"
#include "pipeline/page_result_json.h"
#include "render/markdown.h"

namespace docmill {
namespace {

// The pages looked at per input: the first pages exercise everything per-page; more only slow
// each run down (a claimed page count of 10^9 is the document's problem, not a page's).
constexpr int kPagesPerInput = 2;

// The input as a file, since PdfDocument::open takes a path. Under TMPDIR (scripts/fuzz.sh
// points it at /dev/shm), removed when the run is over, so a crash leaves at most one behind.
class InputFile {
 public:
  InputFile(const uint8_t* data, size_t size) {
    std::string pattern = (std::filesystem::temp_directory_path() / "docmill-fuzz-XXXXXX").string();
    const int fd = mkstemp(pattern.data());
    if (fd < 0) return;
    path_ = pattern;
    size_t written = 0;
    while (written < size) {
      const ssize_t n = write(fd, data + written, size - written);
      if (n <= 0) break;
      written += static_cast<size_t>(n);
    }
    close(fd);
    complete_ = written == size;
  }
  ~InputFile() {
    if (!path_.empty()) unlink(path_.c_str());
  }
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  bool ok() const { return complete_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  bool complete_ = false;
};

// What PageProcessor does to a text-layer page, without the renders (figure crops) and OCR:
// those draw the page, which the text layer has already run through MuPDF's interpreter.
void read_page(PdfDocument& doc, int page_index) {
  auto size = doc.page_size(page_index);
  if (!size) return;
  auto layer = doc.text_layer(page_index);
  if (!layer) return;

  auto figures =
      find_figures(layer->images, layer->drawings, layer->lines, size->width, size->height);
  auto lines = merge_split_lines(std::move(layer->lines));
  bool in_order = false;
  if (auto flow = doc.reading_flow(page_index); flow && !lines.empty()) {
    if (auto order = flow_order(lines, *flow)) {
      std::vector<TextLine> ordered;
      ordered.reserve(order->size());
      for (size_t i : *order) ordered.push_back(std::move(lines[i]));
      lines = std::move(ordered);
      in_order = true;
    }
  }
  PageContent content{size->width, size->height,    std::move(lines), std::move(figures),
                      false,       page_index == 0, in_order};

  PageResult page;
  page.page_index = page_index;
  page.width = size->width;
  page.height = size->height;
  page.method = ReadMethod::kTextLayer;
  page.blocks = analyze_layout(content);
  for (auto& w : doc.context().take_warnings()) page.warnings.push_back("MuPDF: " + w);

  // Everything that reaches the outputs: markdown, and JSON (dump() throws on invalid UTF-8).
  const std::vector<PageResult> pages{page};
  (void)document_markdown(pages);
  (void)document_markdown_det(pages);
  (void)to_json(page).dump();
}

}  // namespace
}  // namespace docmill

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace docmill;
  InputFile input(data, size);
  if (!input.ok()) return 0;

  // The upload check the server runs on every upload, in a context of its own.
  auto pages = probe_pdf(input.path());
  if (!pages) return 0;

  auto ctx = MupdfContext::create();
  if (!ctx) return 0;
  auto doc = PdfDocument::open(*ctx, input.path());
  if (!doc) return 0;
  const int count = std::min(doc->page_count(), kPagesPerInput);
  for (int i = 0; i < count; ++i) read_page(*doc, i);
  return 0;
}
