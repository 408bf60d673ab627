#pragma once
// What one worker thread does with a claimed unit: read a page (and record it), or assemble a
// job whose pages are all done. Files come from the blob store before they are read and go to
// it before the store learns of them, so the next unit may run on another machine. Owns the
// thread's view of the current document, so consecutive pages of one job do not reopen the PDF.
#include <optional>
#include <stop_token>
#include <string>

#include "blobs/blob_store.h"
#include "blobs/job_paths.h"
#include "jobs/job_store.h"
#include "ocr/ocr_engine.h"
#include "pdf/mupdf_context.h"
#include "pdf/pdf_document.h"
#include "pipeline/page_processor.h"

namespace docmill {

class UnitRunner {
 public:
  UnitRunner(JobStore& store, BlobStore& blobs, const JobPaths& paths, std::string worker_id,
             MupdfContext& ctx, OcrEngine& ocr, PageLimits limits = {}, VlmEngine* vlm = nullptr,
             CoreTurns turns = CoreTurns())
      : store_(store),
        blobs_(blobs),
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
  // The page's figures, then its record, into the blob store.
  Status store_page(const std::string& job_id, const PageResult& page);
  // The job's input onto this node (and its folders made).
  Status fetch_input(const std::string& job_id);
  // What assembly reads (the input and every page record) onto this node.
  Status fetch_for_assembly(const std::string& job_id);
  // The outputs assembly wrote, into the blob store.
  Status store_outputs(const std::string& job_id);
  // A DELETE removes the job's files after its rows; what this worker stored meanwhile, before
  // the store told it the job was gone, is removed here.
  void remove_files_if_deleted(const std::string& job_id);
  // Hands the unit back for later (the blob store is out of reach, or the model server).
  void put_off(const WorkClaim& claim, const Error& why);
  void forget_document() {
    doc_.reset();
    doc_job_.clear();
  }

  JobStore& store_;
  BlobStore& blobs_;
  const JobPaths& paths_;
  std::string worker_id_;
  MupdfContext& ctx_;
  PageProcessor processor_;
  std::string doc_job_;
  std::optional<PdfDocument> doc_;
};

}  // namespace docmill
