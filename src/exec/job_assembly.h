#pragma once
// The end of a job: its processed pages (pages/<n>.json) become output.md, output_det.md and
// layout.pdf, and the page errors decide how it ends. A job fails only when no page could be
// read; otherwise it completes, its error_message naming the pages that could not be, which
// the outputs mark in place.
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "blobs/job_paths.h"
#include "core/error.h"
#include "jobs/job.h"
#include "pipeline/output_writer.h"

namespace docmill {

struct JobOutcome {
  JobStatus status = JobStatus::kCompleted;
  std::optional<std::string> error_message;
};

using PageErrors = std::vector<std::pair<int, std::string>>;  // 0-based page, reason

// Completed (message nullopt) when no page failed; completed with a message when some did;
// failed when all `total_pages` did. Page numbers in the message are 1-based.
JobOutcome job_outcome(const PageErrors& errors, int total_pages);

// Reads the job's page records and writes its outputs. Pages given up on without a record
// (they crashed the worker every time) take their place from `errors`. `layout_pdf` says how
// layout.pdf is made (kRenders after an attempt that wrote into the original crashed);
// returns the warnings to show with the job (layout.pdf drawn from renders, and why).
Result<std::vector<std::string>> assemble_outputs(
    const JobPaths& paths, const Job& job, const PageErrors& errors,
    LayoutPdfSource layout_pdf = LayoutPdfSource::kOriginal);

}  // namespace docmill
