#pragma once
// The lines a worker process and its supervisor exchange over the worker's stdin and stdout.
// One message a line, words separated by single spaces (job ids and worker ids have none).
//
//   worker -> supervisor                        supervisor -> worker
//   ready | unready <why>                       work            (new work was queued)
//   unit <worker-id> <job> <page> <att> <retry> cancel <job>    (stop the job's units)
//   waiting <worker-id> (on a core or a server) stop <grace-ms> (drain and exit)
//   working <worker-id> (on its unit again)
//   page <worker-id> <method> <outcome> <ms> <vlm-requests> <vlm-retries> <vlm-fallback>
//        <prompt-tokens> <completion-tokens>      (a page was read and recorded)
//   idle <worker-id>    (the unit ended)
//   cancelled <job>     (none of it runs now)
// <worker-id> names one thread of the worker: a worker on the VLM engine holds many units at
// once, most of them waiting on the model server. A unit starts out working. <retry> is 1 when
// the unit is a second try after its worker died (the claim has a previous_failure), 0
// otherwise. "page" (before that unit's "idle") is what the server counts for /metrics: the
// read method, ok or failed, the page's time, and what it cost on the model server (zeros when
// it was not sent there; <vlm-fallback> 1 when the embedded engine read it instead).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/metrics.h"
#include "jobs/job.h"
#include "layout/page_model.h"

namespace docmill::worker_messages {

// The words of a line.
std::vector<std::string_view> words(std::string_view line);

std::string unit(std::string_view worker_id, const WorkClaim& claim);

// What a "unit" line says.
struct UnitLine {
  std::string worker_id;
  WorkClaim claim;  // job_id, page_index, attempt, and previous_failure ("") on a retry
};
std::optional<UnitLine> parse_unit(std::string_view line);

std::string page(std::string_view worker_id, const PageResult& page);

// What a "page" line says.
struct PageLine {
  std::string worker_id;
  ReadMethod method = ReadMethod::kFailed;
  bool ok = false;
  long long millis = 0;
  VlmPageCounts vlm;
};
std::optional<PageLine> parse_page(std::string_view line);

}  // namespace docmill::worker_messages
