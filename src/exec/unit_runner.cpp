#include "exec/unit_runner.h"

#include <spdlog/spdlog.h>

#include <fmt/ranges.h>

#include "core/files.h"
#include "exec/job_assembly.h"
#include "exec/running_units.h"
#include "pipeline/output_writer.h"
#include "pipeline/page_result_json.h"
#include "render/markdown.h"

namespace docmill {
namespace {

// How long a page waits for a model server that stayed down through its own retries.
constexpr std::chrono::seconds kPutOff{15};

}  // namespace

std::optional<PageResult> UnitRunner::run(const WorkClaim& claim, std::stop_token stop) {
  if (!claim.is_assembly()) return run_page(claim, stop);
  assemble(claim, stop);
  return std::nullopt;
}

Result<PdfDocument*> UnitRunner::document(const std::string& job_id) {
  if (doc_ && doc_job_ == job_id) return &*doc_;
  forget_document();
  auto doc = PdfDocument::open(ctx_, paths_.input_pdf(job_id));
  if (!doc) return std::unexpected(doc.error());
  doc_.emplace(std::move(*doc));
  doc_job_ = job_id;
  return &*doc_;
}

void UnitRunner::put_off(const WorkClaim& claim, const Error& why) {
  spdlog::warn("{}: put off for {} s: {}", describe_unit(claim), kPutOff.count(), why.message);
  if (auto deferred = store_.defer_unit(claim, worker_id_, kPutOff); !deferred) {
    spdlog::error("{}: cannot put it off: {}", describe_unit(claim), deferred.error().message);
  }
}

void UnitRunner::remove_files_if_deleted(const std::string& job_id) {
  auto job = store_.get_job(job_id);
  if (!job || *job) return;  // taken over by another worker, not deleted (or the store failed)
  if (auto removed = blobs_.remove_job(job_id); !removed) {
    spdlog::warn("job {}: cannot remove its files: {}", job_id, removed.error().message);
  }
}

Status UnitRunner::store_page(const std::string& job_id, const PageResult& page) {
  for (const auto& block : page.blocks) {
    if (block.label != Label::kImage) continue;
    const auto figure =
        paths_.images_dir(job_id) / image_file_name(page.page_index, block.image_index);
    std::error_code ec;
    if (!std::filesystem::exists(figure, ec)) continue;  // nothing was cropped for it
    if (auto stored = blobs_.put(figure); !stored) return stored;
  }
  return blobs_.put(paths_.page_json(job_id, page.page_index));
}

Status UnitRunner::fetch_input(const std::string& job_id) {
  if (auto ready = blobs_.prepare_job(job_id); !ready) return ready;
  return blobs_.get(paths_.input_pdf(job_id));
}

Status UnitRunner::fetch_for_assembly(const std::string& job_id) {
  if (auto input = blobs_.get(paths_.input_pdf(job_id)); !input) return input;
  auto records = blobs_.list(paths_.pages_dir(job_id));
  if (!records) return std::unexpected(records.error());
  for (const auto& name : *records) {
    if (!name.ends_with(".json") || name.find('/') != std::string::npos) continue;
    if (auto record = blobs_.get(paths_.pages_dir(job_id) / name); !record) return record;
  }
  return {};
}

Status UnitRunner::store_outputs(const std::string& job_id) {
  for (const char* name : {kMarkdownFile, kMarkdownDetFile, kLayoutPdfFile, kSearchablePdfFile}) {
    const auto output = paths_.job_dir(job_id) / name;
    std::error_code ec;
    if (!std::filesystem::exists(output, ec)) continue;  // searchable.pdf may not be written
    if (auto stored = blobs_.put(output); !stored) return stored;
  }
  return {};
}

std::optional<PageResult> UnitRunner::run_page(const WorkClaim& claim, std::stop_token stop) {
  const std::string unit = describe_unit(claim);
  PageResult page;
  page.page_index = claim.page_index;
  if (doc_job_ != claim.job_id) {
    // The blob store failing (out of reach, refusing) is not the page's fault: it waits. A
    // missing input (a deleted job, or damage) fails the page below, as it always has.
    auto fetched = fetch_input(claim.job_id);
    if (!fetched && fetched.error().code != ErrorCode::kNotFound) {
      put_off(claim, fetched.error());
      return std::nullopt;
    }
  }
  auto doc = document(claim.job_id);
  if (!doc) {
    // The upload was probed, so this is damage after the fact (or a deleted job, which the
    // store will tell us below): the page is failed with the reason, never dropped.
    page.method = ReadMethod::kFailed;
    page.error = doc.error().message;
  } else {
    auto processed = processor_.process(**doc, claim.page_index, claim.options,
                                        paths_.images_dir(claim.job_id), stop);
    if (!processed && processed.error().code == ErrorCode::kUnavailable) {
      // The model server is down and pages wait for it (DOCMILL_VLM_FALLBACK=fail): the page
      // goes back to the queue, uncounted, to be tried again after a while.
      put_off(claim, processed.error());
      return std::nullopt;
    }
    if (!processed) {
      spdlog::info("{}: stopped ({})", unit, processed.error().message);
      forget_document();
      return std::nullopt;
    }
    page = std::move(*processed);
  }

  // Recorded before the store counts the page, so a counted page always has its record; a
  // crash in between only means the page is read again.
  if (auto saved = write_file_atomic(
          paths_.page_json(claim.job_id, claim.page_index),
          to_json(page).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      !saved) {
    if (stop.stop_requested()) return std::nullopt;  // the job's directory went with a DELETE
    page.error = fmt::format("cannot save the page's result: {}", saved.error().message);
  } else if (auto stored = store_page(claim.job_id, page); !stored) {
    if (stop.stop_requested()) {
      remove_files_if_deleted(claim.job_id);  // some of the page may have been stored
      return std::nullopt;
    }
    put_off(claim, stored.error());
    return std::nullopt;
  }
  auto outcome = store_.complete_page(claim, worker_id_, page.error,
                                      {std::string(to_string(page.method)), page.millis});
  if (!outcome) {
    // The lease runs out and the page is read again; nothing is lost.
    spdlog::error("{}: cannot record the page: {}", unit, outcome.error().message);
    return std::nullopt;
  }
  switch (*outcome) {
    case PageOutcome::kJobGone:
      spdlog::info("{}: discarded (job deleted or page taken over)", unit);
      forget_document();
      remove_files_if_deleted(claim.job_id);
      return std::nullopt;
    case PageOutcome::kRecorded:
    case PageOutcome::kLastPage:
      if (page.error) {
        spdlog::warn("{}: failed: {}", unit, *page.error);
      } else {
        spdlog::debug("{}: done in {:.0f} ms ({})", unit, page.millis, to_string(page.method));
      }
      if (*outcome == PageOutcome::kLastPage) forget_document();
      break;
  }
  return page;
}

void UnitRunner::assemble(const WorkClaim& claim, std::stop_token stop) {
  forget_document();
  auto job = store_.get_job(claim.job_id);
  if (!job || !*job) return;  // deleted meanwhile (or the store failed: the lease retries)
  auto errors = store_.page_errors(claim.job_id);
  if (!errors) {
    spdlog::error("job {}: cannot read its page errors: {}", claim.job_id, errors.error().message);
    return;
  }
  JobOutcome outcome = job_outcome(*errors, (*job)->total_pages);
  // After an attempt that crashed its worker (most likely while writing into the input), the
  // layout PDF is drawn from page renders instead, which does not rewrite the input's objects.
  const auto source =
      claim.previous_failure ? LayoutPdfSource::kRenders : LayoutPdfSource::kOriginal;
  // An object store out of reach puts the assembly off; any other failure to read or store the
  // job's files fails the job, saying why.
  auto fetched = fetch_for_assembly(claim.job_id);
  if (!fetched && fetched.error().code == ErrorCode::kUnavailable) {
    if (!stop.stop_requested()) put_off(claim, fetched.error());
    return;
  }
  auto written = fetched ? assemble_outputs(paths_, **job, *errors, source)
                         : Result<std::vector<std::string>>(std::unexpected(fetched.error()));
  if (written) {
    if (auto stored = store_outputs(claim.job_id); !stored) {
      if (stop.stop_requested()) {
        remove_files_if_deleted(claim.job_id);
        return;
      }
      if (stored.error().code == ErrorCode::kUnavailable) {
        put_off(claim, stored.error());
        return;
      }
      written = std::unexpected(stored.error());
    }
  }
  if (stop.stop_requested()) {
    remove_files_if_deleted(claim.job_id);  // a DELETE during assembly: what was stored goes
    return;
  }
  if (written) {
    // Warnings (layout.pdf drawn from renders, and why) go with the job's message, which a
    // completed job otherwise only uses to name failed pages.
    std::vector<std::string> notes = *written;
    if (claim.previous_failure && !claim.previous_failure->empty()) {
      notes.insert(notes.begin(), *claim.previous_failure);
    }
    if (outcome.error_message) notes.push_back(*outcome.error_message);
    if (!notes.empty()) outcome.error_message = fmt::format("{}", fmt::join(notes, "; "));
  } else {
    // When every page failed, the pages' reasons are what a person needs, not this.
    spdlog::warn("job {}: cannot write its outputs: {}", claim.job_id, written.error().message);
    if (outcome.status != JobStatus::kFailed) {
      outcome = {JobStatus::kFailed,
                 fmt::format("assembling the outputs failed: {}{}", written.error().message,
                             outcome.error_message ? "; " + *outcome.error_message : "")};
    }
  }
  if (stop.stop_requested()) return;
  if (auto finished = store_.finish_job(claim.job_id, outcome.status, outcome.error_message);
      !finished) {
    if (finished.error().code != ErrorCode::kNotFound) {
      spdlog::error("job {}: cannot record its end: {}", claim.job_id, finished.error().message);
    } else {
      remove_files_if_deleted(claim.job_id);
    }
    return;
  }
  if (outcome.status == JobStatus::kCompleted) {
    spdlog::info("job {} completed ({} pages{})", claim.job_id, (*job)->total_pages,
                 !errors->empty()        ? ", some failed"
                 : outcome.error_message ? ", with warnings"
                                         : "");
  } else {
    spdlog::warn("job {} failed: {}", claim.job_id, outcome.error_message.value_or(""));
  }
}

}  // namespace docmill
