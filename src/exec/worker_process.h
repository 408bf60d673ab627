#pragma once
// The inside of `docmill worker-process`: one WorkerPool thread claiming units from the store
// itself, told by its supervisor (over stdin) when work arrives, which job to cancel and when to
// stop, and telling it (over stdout) when it is ready and which unit it holds. The supervisor needs
// that to fail exactly the unit a dead worker held, and to stop a unit past its time limit.
#include <chrono>
#include <filesystem>
#include <string>

#include "core/engine_settings.h"
#include "core/s3_settings.h"
#include "pipeline/page_limits.h"

namespace docmill {

// Exit status of a worker that ran out of its memory limit (an allocation failed).
inline constexpr int kWorkerOutOfMemoryExit = 86;

struct WorkerProcessOptions {
  std::string store;  // a store locator (jobs/store_locator.h)
  std::filesystem::path data_dir;
  std::string langs = "eng";
  std::string id;  // unique among live workers; the pool's thread ids are "<id>:0"
  std::chrono::milliseconds lease{60'000};
  PageLimits limits;
  // Threads claiming units. Above one only with a model server: they are the requests in
  // flight, and at most `cores` of them render or read at once. (The supervisor is given the
  // total over all workers and starts each with its share.)
  int threads = 1;
  int cores = 0;
  VlmSettings vlm{};  // its api_key comes from the environment, never the command line
  // The object store of the jobs' files, when there is one; its keys come from the
  // environment, never the command line.
  S3Settings s3{};
};

// Runs until stdin says stop or ends (the supervisor is gone). Returns the exit status.
int run_worker_process(const WorkerProcessOptions& options);

}  // namespace docmill
