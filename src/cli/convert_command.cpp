#include "cli/convert_command.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/progress_bar.h"
#include "cli/vlm_flags.h"
#include "core/config.h"
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
  cmd->add_option("--dpi", args->options.read.dpi,
                  "OCR resolution of vector pages, and the least for scanned pages (a page that "
                  "is one image is read at the image's own resolution: below 250 ppi at 300, "
                  "never above 600)")
      ->check(CLI::Range(72, 600))
      ->capture_default_str();
  cmd->add_option("--pages", args->options.pages, "pages to convert, e.g. 1-5,8 (default: all)");
  cmd->add_flag("--force-ocr", args->options.read.force_ocr,
                "OCR every page, even with a text layer");
  cmd->add_option("--threads", args->options.threads, "pages processed at once (default: cores)")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--max-pages", args->options.max_pages,
                  "most pages converted; a larger document or selection is refused")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  auto page_timeout =
      std::make_shared<double>(std::chrono::duration<double>(args->options.limits.timeout).count());
  cmd->add_option("--page-timeout", *page_timeout,
                  "seconds one page may take; a page past it fails, the others go on")
      ->check(CLI::Range(0.001, 86400.0))
      ->capture_default_str();
  auto engine = std::make_shared<std::string>("auto");
  cmd->add_option("--engine", *engine,
                  "tesseract, vlm, or auto: vlm when --vlm-url (DOCMILL_VLM_URL) is set")
      ->envname("DOCMILL_ENGINE")
      ->capture_default_str();
  auto ocr_existing = std::make_shared<std::string>("auto");
  cmd->add_option("--ocr-existing", *ocr_existing,
                  "pages whose text is an invisible OCR layer over a scan: auto (keep it when it "
                  "reads like words, else OCR again), keep, or redo")
      ->envname("DOCMILL_OCR_EXISTING")
      ->capture_default_str();
  add_vlm_flags(cmd, args->options.vlm, true);
  cmd->callback([args, page_timeout, engine, ocr_existing, &exit_code] {
    const auto existing = parse_ocr_existing(*ocr_existing);
    if (!existing) {
      fmt::print(stderr, "docmill: --ocr-existing: '{}' is not auto, keep or redo\n",
                 *ocr_existing);
      exit_code = 2;
      return;
    }
    args->options.read.ocr_existing = *existing;
    auto chosen = engine_choice("--engine", *engine);
    if (!chosen) {
      fmt::print(stderr, "docmill: {}\n", chosen.error().message);
      exit_code = 2;
      return;
    }
    while (args->options.vlm.url.ends_with('/')) args->options.vlm.url.pop_back();
    args->options.read.engine = resolve_engine(*chosen, args->options.vlm);
    if (args->options.read.engine == EngineKind::kVlm && !args->options.vlm.configured()) {
      fmt::print(stderr, "docmill: --engine vlm needs the model server's URL (--vlm-url)\n");
      exit_code = 2;
      return;
    }
    args->options.limits.timeout =
        std::chrono::milliseconds(std::max<long long>(1, std::llround(*page_timeout * 1000)));
    ProgressBar bar(stderr);
    auto summary = convert_document(args->input, args->out_dir, args->options,
                                    [&](const ConvertProgress& p) { bar.update(p); });
    bar.finish();
    if (!summary) {
      std::string message = summary.error().message;
      if (summary.error().code == ErrorCode::kTooManyPages) message += " (--max-pages)";
      fmt::print(stderr, "docmill: {}: {}\n", args->input, message);
      exit_code = 1;
      return;
    }
    for (const auto& w : summary->warnings) fmt::print(stderr, "docmill: warning: {}\n", w);
    fmt::print(
        stderr,
        "{} pages ({} model, {} OCR, {} blank, {} failed) in {:.1f} s, {:.2f} pages/s -> {}\n",
        summary->pages, summary->vlm_pages, summary->ocr_pages, summary->blank_pages,
        summary->failed_pages, summary->seconds,
        summary->seconds > 0 ? summary->pages / summary->seconds : 0.0, args->out_dir);
    exit_code = summary->failed_pages > 0 ? 3 : 0;
  });
}

}  // namespace docmill
