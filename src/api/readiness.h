#pragma once
// GET /ready: whether this server can take and finish jobs now, which GET /health (the process
// is up) does not say. Three checks, each named in the answer with why it failed:
//   store       a real write to the job database (a committed transaction) goes through
//   engine      the default engine is loaded (what /health reports as model_loaded)
//   disk_space  the data directory has at least DOCMILL_READY_MIN_FREE_MB free
#include <filesystem>

#include <nlohmann/json.hpp>

#include "blobs/blob_store.h"
#include "jobs/job_store.h"

namespace docmill {

struct Readiness {
  bool ready = false;
  // {"status": "ready"|"not_ready", "checks": {name: {"ok": bool, ...}}}, and when not ready
  // "detail" naming the failing checks and why, and "error": "not_ready".
  nlohmann::json body;
};

Readiness check_readiness(JobStore& store, BlobStore& blobs, bool engine_loaded,
                          const std::filesystem::path& data_dir, long long min_free_bytes);

}  // namespace docmill
