#pragma once
// The body of GET /metrics: the gauges read now (jobs by status and units queued from the
// store, busy and idle workers from the supervisor), then the counters `Metrics` keeps.
#include <string>

#include "core/metrics.h"
#include "exec/work_control.h"
#include "jobs/job_store.h"

namespace docmill {

// `counts` unset (the store could not be read, which the caller logs): the store's gauges are
// left out rather than the whole scrape failing, so the counters still reach the scraper.
std::string metrics_scrape(const Metrics& metrics, const StoreCounts* counts,
                           WorkerOccupancy workers);

}  // namespace docmill
