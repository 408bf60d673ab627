#pragma once
// What one worker thread does with a claimed unit: read a page (and record it), or assemble a
// job whose pages are all done. Owns the thread's view of the current document, so consecutive
// pages of one job do not reopen the PDF.
#include <optional>
#include <stop_token>
#include <string>

#include "exec/job_paths.h"
#include "jobs/job_store.h"
#include "ocr/ocr_engine.h"
#include "pdf/mupdf_context.h"
#include "pdf/pdf_document.h"
#include "pipeline/page_processor.h"

namespace docmill {

class UnitRunner {
 public:
  UnitRunner(JobStore& store, const JobPaths& paths, std::string worker_id, MupdfContext& ctx,
             OcrEngine& ocr, PageLimits limits = {}, VlmEngine* vlm = nullptr,
             CoreTurns turns = CoreTurns())
      : store_(store),
        paths_(paths),
        worker_id_(std::move(worker_id)),
        ctx_(ctx),
        processor_(ocr, limits, vlm, std::move(turns)) {}

  // Runs the unit to its end: recorded in the store, or abandoned when `stop` was requested
  // (the job was deleted, or shutdown ran out of patience; the lease then hands it on).
  // Returns the page when the unit was a page the store counted (what the server's metrics
  // count); nullopt for an assembly, or a page abandoned, put off or not recorded.
  std::optional<PageResult> run(const WorkClaim& claim, std::stop_token stop);

 private:
  std::optional<PageResult> run_page(const WorkClaim& claim, std::stop_token stop);
  void assemble(const WorkClaim& claim, std::stop_token stop);
  Result<PdfDocument*> document(const std::string& job_id);
  void forget_document() {
    doc_.reset();
    doc_job_.clear();
  }

  JobStore& store_;
  const JobPaths& paths_;
  std::string worker_id_;
  MupdfContext& ctx_;
  PageProcessor processor_;
  std::string doc_job_;
  std::optional<PdfDocument> doc_;
};

}  // namespace docmill
