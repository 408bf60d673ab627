// make_crash_loop_pdfs DIR — the PDFs bench/crash_loop.sh uploads, made with the tests' PDF
// factory (no downloads, no tools): born-digital pages that finish in milliseconds, and
// "scanned" pages (the same pages rendered and embedded as images) that Tesseract reads for a
// few seconds each, so that kills land in the middle of pages as well as between them.
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "support/pdf_factory.h"

namespace {

using namespace docmill::testing;

// A born-digital page of numbered paragraphs, different on every page.
std::vector<TextRun> report_page(int page) {
  std::vector<TextRun> runs;
  runs.push_back({72, 80, 16, true, fmt::format("{} Findings of part {}", page + 1, page + 1)});
  float y = 110;
  for (int line = 0; line < 24; ++line) {
    runs.push_back({72, y, 10, false,
                    fmt::format("Line {} of page {}: the survey counted {} birds near lake {}.",
                                line + 1, page + 1, 17 * (line + 3) + page, line % 5 + 1)});
    y += 14;
  }
  return runs;
}

std::string report_pdf(int pages) {
  std::vector<std::vector<TextRun>> all;
  for (int p = 0; p < pages; ++p) all.push_back(report_page(p));
  return text_pdf(all);
}

std::vector<std::pair<std::string, std::string>> pdfs() {
  return {
      {"text_paper", paper_pdf()},
      {"text_figure", figure_pdf()},
      {"text_report3", report_pdf(3)},
      {"text_report6", report_pdf(6)},
      {"scan_paper", scanned_pdf(paper_pdf(), 200)},
      {"scan_report2", scanned_pdf(report_pdf(2), 200)},
  };
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_crash_loop_pdfs DIR\n";
    return 2;
  }
  try {
    const std::filesystem::path dir = argv[1];
    for (const auto& [name, bytes] : pdfs()) write_bytes(dir / (name + ".pdf"), bytes);
  } catch (const std::exception& e) {
    std::cerr << "make_crash_loop_pdfs: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
