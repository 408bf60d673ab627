#include "exec/job_assembly.h"

#include <algorithm>
#include <charconv>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/files.h"
#include "layout/document_pass.h"
#include "pipeline/output_writer.h"
#include "pipeline/page_result_json.h"

namespace docmill {
namespace {

// Enough to act on without making the status response unbounded for a 2000-page failure.
constexpr size_t kMaxListedPages = 20;

std::string list_page_errors(const PageErrors& errors) {
  std::string out;
  for (size_t i = 0; i < errors.size() && i < kMaxListedPages; ++i) {
    if (i > 0) out += "; ";
    out += fmt::format("page {}: {}", errors[i].first + 1, errors[i].second);
  }
  if (errors.size() > kMaxListedPages) {
    out += fmt::format("; and {} more", errors.size() - kMaxListedPages);
  }
  return out;
}

// "12.json" -> 12; anything else (a leftover .tmp) -> nullopt.
std::optional<int> page_index_of(const std::filesystem::path& file) {
  if (file.extension() != ".json") return std::nullopt;
  const std::string stem = file.stem().string();
  int index = 0;
  const auto [ptr, ec] = std::from_chars(stem.data(), stem.data() + stem.size(), index);
  if (ec != std::errc{} || ptr != stem.data() + stem.size() || index < 0) return std::nullopt;
  return index;
}

Result<std::map<int, PageResult>> read_pages(const std::filesystem::path& dir) {
  std::map<int, PageResult> pages;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const auto index = page_index_of(entry.path());
    if (!index) continue;
    auto text = read_file(entry.path());
    if (!text) return std::unexpected(text.error());
    auto json = nlohmann::json::parse(*text, nullptr, false);
    if (json.is_discarded()) {
      return fail(ErrorCode::kCorrupt,
                  fmt::format("the record of page {} is not valid JSON", *index + 1));
    }
    auto page = page_result_from_json(json);
    if (!page) return std::unexpected(page.error());
    pages.emplace(*index, std::move(*page));
  }
  if (ec)
    return fail(ErrorCode::kIo, fmt::format("cannot list {}: {}", dir.string(), ec.message()));
  return pages;
}

}  // namespace

JobOutcome job_outcome(const PageErrors& errors, int total_pages) {
  if (errors.empty()) return {JobStatus::kCompleted, std::nullopt};
  if (static_cast<int>(errors.size()) >= total_pages) {
    return {JobStatus::kFailed,
            fmt::format("no page could be processed: {}", list_page_errors(errors))};
  }
  return {JobStatus::kCompleted,
          fmt::format("{} of {} pages could not be processed and are marked in the outputs: {}",
                      errors.size(), total_pages, list_page_errors(errors))};
}

Result<std::vector<std::string>> assemble_outputs(const JobPaths& paths, const Job& job,
                                                  const PageErrors& errors,
                                                  LayoutPdfSource layout_pdf) {
  auto pages = read_pages(paths.pages_dir(job.job_id));
  if (!pages) return std::unexpected(pages.error());
  for (const auto& [index, reason] : errors) {
    if (pages->contains(index)) continue;
    PageResult failed;
    failed.page_index = index;
    failed.method = ReadMethod::kFailed;
    failed.error = reason;
    pages->emplace(index, std::move(failed));
  }
  if (static_cast<int>(pages->size()) != job.total_pages) {
    return fail(ErrorCode::kInternal,
                fmt::format("{} of the job's {} page records are missing",
                            job.total_pages - static_cast<int>(pages->size()), job.total_pages));
  }
  std::vector<PageResult> ordered;
  ordered.reserve(pages->size());
  for (auto& [index, page] : *pages) ordered.push_back(std::move(page));
  finish_document(ordered);
  return write_outputs(ordered, paths.input_pdf(job.job_id), paths.job_dir(job.job_id), layout_pdf);
}

}  // namespace docmill
