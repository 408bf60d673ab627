#pragma once
// `docmill convert` of one document: every selected page through PageProcessor, in parallel (one
// MuPDF context and document handle per thread, Tesseract engines shared by turns on the cores),
// then the outputs and pages.json. A batch of one (pipeline/batch_converter.h).
#include <filesystem>
#include <functional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/read_options.h"
#include "pipeline/output_writer.h"
#include "pipeline/page_limits.h"

namespace docmill {

struct ConvertOptions {
  ReadOptions read;
  std::string pages;  // "1-5,8"; empty for all
  int threads = 0;    // 0: one per core
  // Most pages converted at once, checked against the selection before anything per page is
  // allocated (kTooManyPages). Like serve's DOCMILL_MAX_PAGES.
  int max_pages = 2000;
  PageLimits limits;
  // The model server, for `read.engine` kVlm: then `vlm.concurrency` pages are in flight, and
  // at most `threads` of them render or read on a core at once.
  VlmSettings vlm{};
  // The outputs written (`--format`); all by default.
  OutputSet outputs{};
};

struct ConvertProgress {
  int done = 0;
  int total = 0;
  double seconds = 0;
  int documents_done{};  // converted or failed
  int documents_total{};
};

struct ConvertSummary {
  int pages = 0;
  int failed_pages = 0;
  int ocr_pages = 0;
  int vlm_pages = 0;
  int blank_pages = 0;
  double seconds = 0;
  std::vector<std::string> warnings;  // about the document as a whole (e.g. layout.pdf's)
};

inline constexpr const char* kPagesJsonFile = "pages.json";

Result<ConvertSummary> convert_document(const std::filesystem::path& input,
                                        const std::filesystem::path& out_dir,
                                        const ConvertOptions& options,
                                        const std::function<void(const ConvertProgress&)>& progress,
                                        std::stop_token stop = {});

}  // namespace docmill
