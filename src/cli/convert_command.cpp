#include "cli/convert_command.h"

#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/progress_bar.h"
#include "pipeline/document_converter.h"

namespace docmill {

void add_convert_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("convert",
                                 "Convert a PDF offline: markdown, tagged markdown, "
                                 "layout PDF, figures and pages.json");
  struct Args {
    std::string input;
    std::string out_dir;
    ConvertOptions options;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("input", args->input, "the PDF to convert")->required();
  cmd->add_option("-o,--output", args->out_dir, "directory for the outputs")->required();
  cmd->add_option("--lang", args->options.read.lang, "Tesseract languages, e.g. eng+deu")
      ->capture_default_str();
  cmd->add_option("--dpi", args->options.read.dpi, "render resolution for OCR")
      ->check(CLI::Range(72, 600))
      ->capture_default_str();
  cmd->add_option("--pages", args->options.pages, "pages to convert, e.g. 1-5,8 (default: all)");
  cmd->add_flag("--force-ocr", args->options.read.force_ocr,
                "OCR every page, even with a text layer");
  cmd->add_option("--threads", args->options.threads, "pages processed at once (default: cores)")
      ->check(CLI::Range(1, 256));
  cmd->callback([args, &exit_code] {
    ProgressBar bar(stderr);
    auto summary = convert_document(args->input, args->out_dir, args->options,
                                    [&](const ConvertProgress& p) { bar.update(p); });
    bar.finish();
    if (!summary) {
      fmt::print(stderr, "docmill: {}: {}\n", args->input, summary.error().message);
      exit_code = 1;
      return;
    }
    fmt::print(stderr, "{} pages ({} OCR, {} failed) in {:.1f} s, {:.2f} pages/s -> {}\n",
               summary->pages, summary->ocr_pages, summary->failed_pages, summary->seconds,
               summary->seconds > 0 ? summary->pages / summary->seconds : 0.0, args->out_dir);
    exit_code = summary->failed_pages > 0 ? 3 : 0;
  });
}

}  // namespace docmill
