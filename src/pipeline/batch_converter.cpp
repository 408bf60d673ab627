#include "pipeline/batch_converter.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/files.h"
#include "core/page_range.h"
#include "core/slots.h"
#include "layout/document_pass.h"
#include "ocr/ocr_engine_pool.h"
#include "ocr/tesseract_engine.h"
#include "pdf/pdf_document.h"
#include "pipeline/document_pages.h"
#include "pipeline/output_writer.h"
#include "pipeline/page_processor.h"
#include "pipeline/page_result_json.h"
#include "render/image_names.h"

namespace docmill {
namespace {

using Clock = std::chrono::steady_clock;

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

// Where the figures go; empty when no output links them (PageProcessor then crops none).
std::filesystem::path images_dir_of(const BatchDocument& doc, const OutputSet& outputs) {
  return outputs.figures() ? doc.out_dir / kImagesDir : std::filesystem::path{};
}

// A document's pages, selected and checked, and its directory made ready; before any thread
// starts, so that the progress bar knows the total.
Result<std::vector<int>> prepare(const BatchDocument& doc, const ConvertOptions& options) {
  auto page_count = probe_pdf(doc.input);
  if (!page_count) return std::unexpected(page_count.error());
  auto selected = parse_page_range(options.pages, *page_count, options.max_pages);
  if (!selected) return std::unexpected(selected.error());
  const auto images = images_dir_of(doc, options.outputs);
  std::error_code ec;
  std::filesystem::create_directories(images.empty() ? doc.out_dir : images, ec);
  if (ec) {
    return fail(ErrorCode::kIo,
                fmt::format("cannot create {}: {}", doc.out_dir.string(), ec.message()));
  }
  if (!images.empty()) remove_old_figures(images);
  return selected;
}

// One document while the pool works on it. Guarded by the batch's mutex, except `results[i]`,
// which only the thread that ran page i writes.
struct DocumentState {
  std::vector<int> selected;  // page indices, in order
  std::vector<std::optional<PageResult>> results;
  int finished = 0;                               // pages with a result
  std::optional<Result<ConvertSummary>> outcome;  // set once: converted, or failed
};

// The document's outputs from its pages, once all are in.
Result<ConvertSummary> assemble(const BatchDocument& doc, DocumentState& state,
                                const OutputSet& outputs, Clock::time_point started) {
  std::vector<PageResult> pages;
  pages.reserve(state.results.size());
  ConvertSummary summary;
  for (auto& r : state.results) {
    summary.failed_pages += r->error.has_value();
    summary.ocr_pages += r->method == ReadMethod::kOcr;
    summary.vlm_pages += r->method == ReadMethod::kVlm;
    summary.blank_pages += r->method == ReadMethod::kBlank;
    pages.push_back(std::move(*r));
  }
  state.results.clear();
  // Decided across pages (layout/document_pass.h); pages.json and the outputs agree.
  finish_document(pages);
  if (outputs.pages_json) {
    nlohmann::json pages_json = nlohmann::json::array();
    for (const auto& page : pages) pages_json.push_back(to_json(page));
    // Page strings are valid UTF-8 already (core/utf8.h); replacing rather than throwing is the
    // second line of defence.
    const std::string json =
        pages_json.dump(1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (auto ok = write_file_atomic(doc.out_dir / kPagesJsonFile, json + "\n"); !ok) {
      return std::unexpected(ok.error());
    }
  }
  auto warnings = write_outputs(pages, doc.input, doc.out_dir, LayoutPdfSource::kOriginal, outputs);
  if (!warnings) return std::unexpected(warnings.error());
  summary.warnings = std::move(*warnings);
  summary.pages = static_cast<int>(pages.size());
  summary.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return summary;
}

}  // namespace

Result<std::vector<Result<ConvertSummary>>> convert_batch(
    std::span<const BatchDocument> documents, const ConvertOptions& options,
    const std::function<void(const ConvertProgress&)>& progress, std::stop_token stop) {
  const auto started = Clock::now();
  if (auto ok = check_tesseract_languages(options.read.lang); !ok) {
    return std::unexpected(ok.error());
  }

  const int document_count = static_cast<int>(documents.size());
  std::vector<DocumentState> states(documents.size());
  std::vector<int> page_counts(documents.size(), 0);
  int item_count = 0;
  int documents_done = 0;
  for (int d = 0; d < document_count; ++d) {
    auto selected = prepare(documents[d], options);
    if (!selected) {
      states[d].outcome = std::unexpected(selected.error());
      ++documents_done;
      continue;
    }
    states[d].selected = std::move(*selected);
    states[d].results.resize(states[d].selected.size());
    page_counts[d] = static_cast<int>(states[d].selected.size());
    item_count += page_counts[d];
  }

  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int on_cores =
      std::clamp(options.threads > 0 ? options.threads : cores, 1, std::max(1, item_count));
  // On the model, most threads wait for its answers: as many threads as requests in flight,
  // taking turns on `on_cores` cores for what needs one.
  const bool by_model = options.read.engine == EngineKind::kVlm && options.vlm.configured();
  const int threads =
      by_model ? std::clamp(options.vlm.concurrency, 1, std::max(1, item_count)) : on_cores;
  std::optional<Slots> core_slots;
  if (threads > on_cores) core_slots.emplace(on_cores);
  std::unique_ptr<VlmEngine> vlm;
  if (by_model) vlm = std::make_unique<VlmEngine>(options.vlm);
  OcrEnginePool engines(on_cores);

  std::mutex
      mu;  // guards `pages`, the states (but results[i]), the counts and the progress callback
  DocumentPages pages(std::move(page_counts));
  int pages_done = 0;
  int pages_total = item_count;  // less a failed document's pages not yet done

  // Under `mu`. Once per page done, and with several documents also once per document done or
  // failed (one document reports pages alone, as convert_document always has).
  const auto report = [&] {
    if (!progress) return;
    progress({pages_done, pages_total,
              std::chrono::duration<double>(Clock::now() - started).count(), documents_done,
              document_count});
  };
  // Under `mu`: the document fails alone; its pages still queued are skipped, those in flight
  // are dropped when they come back.
  const auto fail_document = [&](int d, Error error) {
    auto& state = states[d];
    if (state.outcome) return;
    state.outcome = std::unexpected(std::move(error));
    pages_total -= static_cast<int>(state.selected.size()) - state.finished;
    state.results.clear();
    state.results.shrink_to_fit();
    ++documents_done;
    if (document_count > 1) report();
  };

  auto worker = [&](std::stop_token worker_stop) {
    auto ctx = MupdfContext::create(store_bytes_for(threads, on_cores));
    PageProcessor processor(engines, options.limits, vlm.get(),
                            CoreTurns(core_slots ? &*core_slots : nullptr));
    int open_document = -1;  // the document `doc` is (or failed to be) a handle on
    std::optional<PdfDocument> doc;
    while (true) {
      if (stop.stop_requested() || worker_stop.stop_requested()) return;
      int d = 0;
      int slot = 0;
      {
        std::lock_guard lock(mu);
        const auto next = pages.next(open_document);
        if (!next) return;
        d = next->document;
        slot = next->slot;
        if (states[d].outcome) continue;  // failed already
      }
      if (d != open_document) {
        doc.reset();  // one document open per thread
        open_document = d;
        if (ctx) {
          auto opened = PdfDocument::open(*ctx, documents[d].input);
          if (opened) doc.emplace(std::move(*opened));
        }
      }
      if (!doc) {
        std::lock_guard lock(mu);
        fail_document(d, Error{ErrorCode::kIo, "cannot reopen the PDF in a worker"});
        continue;
      }
      const int page_index = states[d].selected[slot];
      Result<PageResult> page = fail(ErrorCode::kInternal, "not run");
      try {
        page = processor.process(*doc, page_index, options.read,
                                 images_dir_of(documents[d], options.outputs), stop);
      } catch (const std::bad_alloc&) {
        // PageProcessor fails the page itself; this catches what escapes it (its result).
        page = failed_page(page_index, fmt::format("page {} ran out of memory", page_index + 1));
      }
      if (!page && page.error().code == ErrorCode::kUnavailable) {
        // Offline there is no queue to wait in: the page fails with the reason.
        page = failed_page(page_index, fmt::format("the model could not read page {}: {}",
                                                   page_index + 1, page.error().message));
      }
      bool last_page = false;
      {
        std::lock_guard lock(mu);
        auto& state = states[d];
        if (state.outcome) continue;  // the document failed meanwhile
        if (!page) {
          if (page.error().code == ErrorCode::kCancelled && stop.stop_requested()) return;
          fail_document(d, page.error());
          continue;
        }
        state.results[slot] = std::move(*page);
        ++state.finished;
        ++pages_done;
        last_page = state.finished == static_cast<int>(state.selected.size());
        report();
      }
      if (!last_page) continue;
      // Every page is in and no other thread touches this document any more.
      Result<ConvertSummary> summary = fail(ErrorCode::kInternal, "not assembled");
      try {
        summary = assemble(documents[d], states[d], options.outputs, started);
      } catch (const std::exception& e) {
        summary = fail(ErrorCode::kInternal, fmt::format("cannot write the outputs: {}", e.what()));
      }
      std::lock_guard lock(mu);
      states[d].outcome = std::move(summary);
      ++documents_done;
      if (document_count > 1) report();
    }
  };
  if (item_count > 0) {
    std::vector<std::jthread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
    // Joined here, not by ~jthread: that would request a stop first and end the work early.
    for (auto& t : pool) t.join();
  }

  std::vector<Result<ConvertSummary>> outcomes;
  outcomes.reserve(documents.size());
  for (auto& state : states) {
    if (state.outcome) {
      outcomes.push_back(std::move(*state.outcome));
    } else {
      outcomes.push_back(fail(ErrorCode::kCancelled, "conversion stopped"));
    }
  }
  return outcomes;
}

}  // namespace docmill
