#pragma once
// The job and page-unit model shared by the store, the workers and the API.
#include <optional>
#include <string>
#include <string_view>

#include "core/read_options.h"

namespace docmill {

enum class JobStatus { kPending, kProcessing, kCompleted, kFailed };

std::string_view to_string(JobStatus s);
std::optional<JobStatus> parse_job_status(std::string_view s);

// How a job's pages are read; chosen at upload, stored with the job.
using JobOptions = ReadOptions;

// The seed's columns, plus the options the job runs with.
struct Job {
  std::string job_id;
  JobStatus status = JobStatus::kPending;
  std::string filename;
  int total_pages = 0;
  int processed_pages = 0;
  std::string created_at;  // ISO 8601 UTC
  std::string updated_at;
  std::optional<std::string> error_message;
  JobOptions options{};
};

// A unit of work: one page of a job, or (page_index == kAssembleUnit) the assembly of a job's
// outputs once all its pages are done. Workers hold a unit under a lease; a unit whose lease
// ran out (its worker died) can be claimed again.
inline constexpr int kAssembleUnit = -1;

struct WorkClaim {
  std::string job_id;
  int page_index = 0;  // 0-based page of the PDF, or kAssembleUnit
  int attempt = 1;     // 1 on the first claim; a unit claimed too often is failed, not retried
  JobOptions options{};
  // Why the previous attempt at this unit ended without a result, when its worker process died
  // on it (recorded by JobStore::abandon_unit): a unit is given one more try after a crash.
  std::optional<std::string> previous_failure{};
  bool is_assembly() const { return page_index == kAssembleUnit; }
};

}  // namespace docmill
