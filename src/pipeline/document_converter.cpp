#include "pipeline/document_converter.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/files.h"
#include "core/page_range.h"
#include "core/slots.h"
#include "layout/document_pass.h"
#include "ocr/ocr_engine_pool.h"
#include "ocr/tesseract_engine.h"
#include "pdf/pdf_document.h"
#include "pipeline/output_writer.h"
#include "pipeline/page_processor.h"
#include "pipeline/page_result_json.h"
#include "render/image_names.h"

namespace docmill {
namespace {

// Figures of an earlier run into the same directory would otherwise sit beside the new ones
// under names output.md does not link. Only files named as docmill names them are removed.
void remove_old_figures(const std::filesystem::path& images_dir) {
  auto names = list_images(images_dir);
  if (!names) return;
  std::error_code ec;
  for (const auto& name : *names) std::filesystem::remove(images_dir / name, ec);
}

PageResult failed_page(int page_index, std::string error) {
  PageResult page;
  page.page_index = page_index;
  page.method = ReadMethod::kFailed;
  page.error = std::move(error);
  return page;
}

}  // namespace

Result<ConvertSummary> convert_document(const std::filesystem::path& input,
                                        const std::filesystem::path& out_dir,
                                        const ConvertOptions& options,
                                        const std::function<void(const ConvertProgress&)>& progress,
                                        std::stop_token stop) {
  const auto started = std::chrono::steady_clock::now();
  if (auto ok = check_tesseract_languages(options.read.lang); !ok)
    return std::unexpected(ok.error());
  auto page_count = probe_pdf(input);
  if (!page_count) return std::unexpected(page_count.error());
  auto selected = parse_page_range(options.pages, *page_count, options.max_pages);
  if (!selected) return std::unexpected(selected.error());

  std::error_code ec;
  std::filesystem::create_directories(out_dir / kImagesDir, ec);
  if (ec) {
    return fail(ErrorCode::kIo,
                fmt::format("cannot create {}: {}", out_dir.string(), ec.message()));
  }
  remove_old_figures(out_dir / kImagesDir);

  const int total = static_cast<int>(selected->size());
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int on_cores = std::clamp(options.threads > 0 ? options.threads : cores, 1, total);
  // On the model, most threads wait for its answers: as many threads as requests in flight,
  // taking turns on `on_cores` cores for what needs one.
  const bool by_model = options.read.engine == EngineKind::kVlm && options.vlm.configured();
  const int threads = by_model ? std::clamp(options.vlm.concurrency, 1, total) : on_cores;
  std::optional<Slots> core_slots;
  if (threads > on_cores) core_slots.emplace(on_cores);
  std::unique_ptr<VlmEngine> vlm;
  if (by_model) vlm = std::make_unique<VlmEngine>(options.vlm);
  OcrEnginePool engines(on_cores);
  std::vector<std::optional<PageResult>> results(selected->size());
  std::atomic<int> next{0};
  std::mutex mu;  // guards done, first_error and the progress callback
  int done = 0;
  std::optional<Error> first_error;

  auto worker = [&](std::stop_token worker_stop) {
    auto ctx = MupdfContext::create(store_bytes_for(threads, on_cores));
    std::optional<PdfDocument> doc;
    if (ctx) {
      auto d = PdfDocument::open(*ctx, input);
      if (d) doc.emplace(std::move(*d));
    }
    if (!doc) {
      std::lock_guard lock(mu);
      if (!first_error) first_error = Error{ErrorCode::kIo, "cannot reopen the PDF in a worker"};
      return;
    }
    PageProcessor processor(engines, options.limits, vlm.get(),
                            CoreTurns(core_slots ? &*core_slots : nullptr));
    for (int i = next++; i < total; i = next++) {
      if (stop.stop_requested() || worker_stop.stop_requested()) return;
      Result<PageResult> page = fail(ErrorCode::kInternal, "not run");
      try {
        page = processor.process(*doc, (*selected)[i], options.read, out_dir / kImagesDir, stop);
      } catch (const std::bad_alloc&) {
        // PageProcessor fails the page itself; this catches what escapes it (its result).
        page = failed_page((*selected)[i],
                           fmt::format("page {} ran out of memory", (*selected)[i] + 1));
      }
      std::lock_guard lock(mu);
      if (!page && page.error().code == ErrorCode::kUnavailable) {
        // Offline there is no queue to wait in: the page fails with the reason.
        page = failed_page((*selected)[i], fmt::format("the model could not read page {}: {}",
                                                       (*selected)[i] + 1, page.error().message));
      }
      if (!page) {
        if (!first_error) first_error = page.error();
        return;
      }
      results[i] = std::move(*page);
      ++done;
      if (progress) {
        progress(
            {done, total,
             std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()});
      }
    }
  };
  {
    std::vector<std::jthread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
    // Joined here, not by ~jthread: that would request a stop first and end the work early.
    for (auto& t : pool) t.join();
  }
  if (first_error) return std::unexpected(*first_error);
  if (stop.stop_requested() || done != total) {
    return fail(ErrorCode::kCancelled, "conversion stopped");
  }

  std::vector<PageResult> pages;
  pages.reserve(results.size());
  ConvertSummary summary;
  nlohmann::json pages_json = nlohmann::json::array();
  for (auto& r : results) {
    summary.failed_pages += r->error.has_value();
    summary.ocr_pages += r->method == ReadMethod::kOcr;
    summary.vlm_pages += r->method == ReadMethod::kVlm;
    summary.blank_pages += r->method == ReadMethod::kBlank;
    pages.push_back(std::move(*r));
  }
  // Decided across pages (layout/document_pass.h); pages.json and the outputs agree.
  finish_document(pages);
  for (const auto& page : pages) pages_json.push_back(to_json(page));
  // Page strings are valid UTF-8 already (core/utf8.h); replacing rather than throwing is the
  // second line of defence.
  const std::string json = pages_json.dump(1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (auto ok = write_file_atomic(out_dir / kPagesJsonFile, json + "\n"); !ok) {
    return std::unexpected(ok.error());
  }
  auto warnings = write_outputs(pages, input, out_dir);
  if (!warnings) return std::unexpected(warnings.error());
  summary.warnings = std::move(*warnings);
  summary.pages = total;
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace docmill
