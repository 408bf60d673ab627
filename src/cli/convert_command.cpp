#include "cli/convert_command.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/convert_inputs.h"
#include "cli/progress_bar.h"
#include "cli/vlm_flags.h"
#include "core/config.h"
#include "pipeline/batch_converter.h"
#include "pipeline/document_converter.h"

namespace docmill {
namespace {

constexpr const char* kExitCodes =
    "Exit status: 0 every document converted; 1 a document could not be converted (the others "
    "still are); 2 a bad flag; 3 every document converted but some pages failed (marked in "
    "pages.json and the markdown).";

// The reason a document was not converted, with the flag that would change it.
std::string failure_message(const Error& error) {
  std::string message = error.message;
  if (error.code == ErrorCode::kTooManyPages) message += " (--max-pages)";
  return message;
}

// Many documents, or a directory: each into OUT/<name>/, one summary line at the end.
int convert_many(const ConvertInputs& inputs, const std::string& out_dir,
                 const ConvertOptions& options) {
  for (const auto& note : inputs.notes) fmt::print(stderr, "docmill: note: {}\n", note);
  const auto started = std::chrono::steady_clock::now();
  ProgressBar bar(stderr);
  auto outcomes =
      convert_batch(inputs.documents, options, [&](const ConvertProgress& p) { bar.update(p); });
  bar.finish();
  if (!outcomes) {
    fmt::print(stderr, "docmill: {}\n", failure_message(outcomes.error()));
    return 1;
  }
  ConvertSummary total;
  int converted = 0;
  int failed = 0;
  for (size_t i = 0; i < outcomes->size(); ++i) {
    const auto& input = inputs.documents[i].input;
    const auto& outcome = (*outcomes)[i];
    if (!outcome) {
      ++failed;
      fmt::print(stderr, "docmill: {}: {}\n", input.string(), failure_message(outcome.error()));
      continue;
    }
    ++converted;
    for (const auto& w : outcome->warnings) {
      fmt::print(stderr, "docmill: warning: {}: {}\n", input.string(), w);
    }
    total.pages += outcome->pages;
    total.failed_pages += outcome->failed_pages;
    total.ocr_pages += outcome->ocr_pages;
    total.vlm_pages += outcome->vlm_pages;
    total.blank_pages += outcome->blank_pages;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  fmt::print(stderr,
             "{} of {} documents converted, {} failed; {} pages ({} model, {} OCR, {} blank, {} "
             "failed) in {:.1f} s, {:.2f} pages/s -> {}\n",
             converted, outcomes->size(), failed, total.pages, total.vlm_pages, total.ocr_pages,
             total.blank_pages, total.failed_pages, seconds,
             seconds > 0 ? total.pages / seconds : 0.0, out_dir);
  if (failed > 0) return 1;
  return total.failed_pages > 0 ? 3 : 0;
}

}  // namespace

void add_convert_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("convert",
                                 "Convert PDFs offline: markdown, tagged markdown, "
                                 "layout PDF, figures and pages.json");
  cmd->footer(kExitCodes);
  struct Args {
    std::vector<std::string> inputs;
    std::string out_dir;
    std::vector<std::string> formats;
    ConvertOptions options;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("input", args->inputs,
                  "PDF files and directories (searched recursively for *.pdf); all pages of all "
                  "of them are processed by one pool of threads")
      ->required();
  cmd->add_option("-o,--output", args->out_dir,
                  "directory for the outputs: the document's own for one PDF file, else one "
                  "OUT/<name>/ per document (name: the file's stem, -2, -3... on a clash)")
      ->required();
  cmd->add_option("--format", args->formats,
                  "outputs to write, repeated or comma-separated: md (output.md and images/), det "
                  "(output_det.md), json (pages.json), pdf (layout.pdf), searchable "
                  "(searchable.pdf) (default: all)")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option("--lang", args->options.read.lang, "Tesseract languages, e.g. eng+deu")
      ->capture_default_str();
  cmd->add_option("--dpi", args->options.read.dpi,
                  "OCR resolution of vector pages, and the least for scanned pages (a page that "
                  "is one image is read at the image's own resolution: below 250 ppi at 300, "
                  "never above 600)")
      ->check(CLI::Range(72, 600))
      ->capture_default_str();
  cmd->add_option("--pages", args->options.pages,
                  "pages to convert of each document, e.g. 1-5,8 (default: all)");
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
    auto outputs = parse_output_set(args->formats);
    if (!outputs) {
      fmt::print(stderr, "docmill: {}\n", outputs.error().message);
      exit_code = 2;
      return;
    }
    args->options.outputs = *outputs;
    auto inputs = collect_convert_inputs(args->inputs, args->out_dir);
    if (!inputs) {
      fmt::print(stderr, "docmill: {}\n", inputs.error().message);
      exit_code = 1;
      return;
    }
    if (!inputs->single) {
      exit_code = convert_many(*inputs, args->out_dir, args->options);
      return;
    }
    const auto& input = inputs->documents.front().input;
    ProgressBar bar(stderr);
    auto summary = convert_document(input, args->out_dir, args->options,
                                    [&](const ConvertProgress& p) { bar.update(p); });
    bar.finish();
    if (!summary) {
      fmt::print(stderr, "docmill: {}: {}\n", input.string(), failure_message(summary.error()));
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
