// write_web_fixtures DIR: the PDFs the browser tests upload (tests/browser/web_page.test.mjs).
//   report.pdf — a paper page (title, numbered headings), a page with a figure and its caption,
//                and a page with a booktabs table: read from the text layer, in a second or two.
//   slow.pdf   — six paper pages; uploaded with force_ocr each is read by Tesseract, about a
//                second a page, so the progress can be watched rising.
#include <cstdio>
#include <filesystem>

#include "support/pdf_factory.h"

int main(int argc, char** argv) {
  using namespace docmill::testing;
  if (argc != 2) {
    std::fprintf(stderr, "usage: write_web_fixtures DIR\n");
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);
  write_bytes(dir / "report.pdf", make_pdf({paper_page(), figure_page(), booktabs_page()}));
  write_bytes(dir / "slow.pdf", make_pdf(std::vector<PageSpec>(6, paper_page())));
  return 0;
}
