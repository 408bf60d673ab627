#include "app/worker_node.h"

#include <spdlog/spdlog.h>

#include <fmt/format.h>

#include "app/data_dir.h"
#include "app/worker_settings.h"
#include "jobs/store_locator.h"
#include "ocr/tesseract_engine.h"

namespace docmill {

Result<std::unique_ptr<WorkerNode>> WorkerNode::create(ServeConfig config) {
  if (auto langs = check_tesseract_languages(config.langs); !langs) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("setting DOCMILL_LANGS: {}", langs.error().message));
  }
  if (!config.database_url) {
    spdlog::warn(
        "DOCMILL_DATABASE_URL is not set: the workers share the SQLite file in {} with a "
        "docmill serve on this machine only",
        config.data_dir.string());
  }
  const JobPaths paths(config.data_dir);
  // Nothing is swept: the API nodes own the uploads and the job directories' lifetimes.
  if (auto ok = prepare_data_dir(paths, {.enabled = false}); !ok) {
    return std::unexpected(ok.error());
  }
  auto store = open_job_store(store_locator(config, paths));
  if (!store) return std::unexpected(store.error());
  auto blobs = open_blob_store(config.s3, paths);
  if (auto reachable = blobs->check(); !reachable) return std::unexpected(reachable.error());
  return std::unique_ptr<WorkerNode>(
      new WorkerNode(std::move(config), std::move(*store), std::move(blobs)));
}

WorkerNode::WorkerNode(ServeConfig config, std::unique_ptr<JobStore> store,
                       std::unique_ptr<BlobStore> blobs)
    : config_(std::move(config)),
      paths_(config_.data_dir),
      store_(std::move(store)),
      blobs_(std::move(blobs)),
      copies_(*store_, *blobs_, paths_, {.reap_store = false}),
      workers_(*store_, metrics_, supervisor_options(config_, paths_, job_changes_)) {}

WorkerNode::~WorkerNode() {
  stop();
}

void WorkerNode::start() {
  workers_.start();
  if (blobs_->local_copies()) copies_.start();
  spdlog::info(
      "docmill worker: {} worker processes ({} MiB, {} s a page) on {}, data {}, files in {}",
      config_.workers, config_.worker_memory_bytes >> 20,
      std::chrono::duration_cast<std::chrono::seconds>(config_.page_timeout).count(),
      config_.database_url ? "PostgreSQL" : "SQLite", config_.data_dir.string(),
      blobs_->describe());
}

void WorkerNode::stop() {
  workers_.stop(config_.shutdown_grace);
}

}  // namespace docmill
