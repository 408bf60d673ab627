#include "app/worker_settings.h"

#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>

#include "exec/child_process.h"
#include "jobs/store_locator.h"

namespace docmill {

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "localhost";
  return buf;
}

std::string store_locator(const ServeConfig& c, const JobPaths& paths) {
  return c.database_url.value_or(sqlite_store_locator(paths.database()));
}

SupervisorOptions supervisor_options(const ServeConfig& c, const JobPaths& paths,
                                     ChangeSignal& job_changes) {
  SupervisorOptions o;
  o.job_changes = &job_changes;
  o.workers = c.workers;
  o.binary = self_binary();
  o.memory_limit_bytes = c.worker_memory_bytes;
  o.worker.store = store_locator(c, paths);
  o.worker.data_dir = c.data_dir;
  o.worker.s3 = c.s3;
  o.worker.langs = c.langs;
  o.worker.lease = c.lease;
  o.worker.id = fmt::format("{}:{}", host_name(), getpid());
  o.worker.limits.timeout = c.page_timeout;
  o.worker.limits.max_render_pixels = c.max_render_pixels;
  if (c.vlm.configured()) {
    // The requests in flight are spread over the workers; each renders one page at a time,
    // as without the model (DOCMILL_WORKERS is the pages drawn at once).
    o.worker.vlm = c.vlm;
    o.worker.threads = std::max(c.vlm.concurrency, c.workers);
    o.worker.cores = 1;
  }
  return o;
}

}  // namespace docmill
