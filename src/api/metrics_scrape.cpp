#include "api/metrics_scrape.h"

namespace docmill {

std::string metrics_scrape(const Metrics& metrics, const StoreCounts* counts,
                           WorkerOccupancy workers) {
  PrometheusText out;
  if (counts != nullptr) {
    out.family("docmill_jobs", "gauge", "Jobs in the store, by status.");
    for (const auto& [status, n] : counts->jobs) {
      out.sample("docmill_jobs", {{"status", to_string(status)}}, n);
    }
    out.family("docmill_queue_depth_units", "gauge",
               "Units (pages, and each job's assembly) waiting for a worker.");
    out.sample("docmill_queue_depth_units", {}, counts->open_units);
  }
  out.family("docmill_workers", "gauge",
             "Worker threads holding a unit (busy), and ready ones holding none (idle).");
  out.sample("docmill_workers", {{"state", "busy"}}, workers.busy);
  out.sample("docmill_workers", {{"state", "idle"}}, workers.idle);
  metrics.write(out);
  return out.text();
}

}  // namespace docmill
