// write_fuzz_seeds DIR — the fuzzer's starting inputs, made by the tests' PDF factory: small
// well-formed PDFs that reach every step of the page (text, two columns, a figure, images,
// several pages) and the broken ones the integration tests already know. Mutating these gets
// much further into MuPDF than mutating random bytes.
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "support/pdf_factory.h"

namespace {

using namespace docmill::testing;

std::vector<std::pair<std::string, std::string>> seeds() {
  std::vector<std::pair<std::string, std::string>> out;
  out.emplace_back("paper.pdf", paper_pdf());
  out.emplace_back("figure.pdf", figure_pdf());
  out.emplace_back("two_text_pages.pdf",
                   text_pdf({{{72, 90, 18, true, "1 Title"}, {72, 120, 10, false, "Body text."}},
                             {{72, 90, 10, false, "Second page."}}}));
  out.emplace_back("scan.pdf", image_pdf({{gradient(120, 160), 72}}));
  out.emplace_back("zero_pages.pdf", zero_page_pdf());
  out.emplace_back("truncated.pdf", truncated_pdf(0.6));
  out.emplace_back("garbage_image.pdf", pdf_with_broken_page(BrokenPage::kGarbageImage));
  out.emplace_back("missing_contents.pdf", pdf_with_broken_page(BrokenPage::kMissingContents));
  out.emplace_back("garbage_contents.pdf", pdf_with_broken_page(BrokenPage::kGarbageContents));
  out.emplace_back("empty_mediabox.pdf", pdf_with_broken_page(BrokenPage::kEmptyMediaBox));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: write_fuzz_seeds DIR\n";
    return 2;
  }
  try {
    const std::filesystem::path dir = argv[1];
    for (const auto& [name, bytes] : seeds()) write_bytes(dir / name, bytes);
  } catch (const std::exception& e) {
    std::cerr << "write_fuzz_seeds: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
