#include "app/app.h"

#include <sys/socket.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <fmt/format.h>

#include "app/data_dir.h"
#include "app/worker_settings.h"
#include "exec/child_process.h"
#include "exec/upload_probe.h"
#include "jobs/store_locator.h"
#include "ocr/tesseract_engine.h"

namespace docmill {
namespace {

// Enough threads that slow uploads and keep-alive pollers do not starve quick /status calls.
// Each open event stream holds a thread of its own, so the pool has DOCMILL_MAX_EVENT_STREAMS
// more than this: streams at their cap still leave these to everything else.
constexpr size_t kHttpThreads = 32;

DataDirSweep shared_data_dir_sweep(const ServeConfig& c) {
  // On a shared store the data directory is shared too, by nodes uploading into it now.
  return c.database_url ? DataDirSweep{.spare_younger_than = std::chrono::hours(1)}
                        : DataDirSweep{};
}

ApiSettings api_settings(const ServeConfig& c, const ModelWatch* model_watch,
                         ChangeSignal& job_changes) {
  ApiSettings s;
  s.events.max_streams = c.max_event_streams;
  s.job_changes = &job_changes;
  s.limits.defaults.engine = c.engine;
  s.limits.vlm_available = c.vlm.configured();
  if (c.engine == EngineKind::kVlm && model_watch != nullptr) {
    s.model_loaded = [model_watch] { return model_watch->ready(); };
  } else if (!c.run_workers) {
    // The workers are other processes, on other machines: this node takes jobs regardless.
    s.model_loaded = [] { return true; };
  }
  s.auth_token = c.auth_token;
  s.ready_min_free_bytes = c.ready_min_free_bytes;
  s.metrics_public = c.metrics_public;
  s.web.web_dir = c.web_dir;
  s.max_upload_bytes = c.max_upload_bytes;
  s.limits.max_pages = c.max_pages;
  s.limits.max_queued_jobs = c.max_queued_jobs;
  s.limits.defaults.lang = c.langs;
  s.limits.defaults.dpi = c.dpi;
  s.limits.defaults.ocr_existing = c.ocr_existing;
  s.limits.webhook_policy = c.webhooks.policy;
  s.probe = [binary = self_binary(), memory = c.worker_memory_bytes](const auto& pdf) {
    return probe_in_child(binary, pdf, {.memory_bytes = memory});
  };
  return s;
}

}  // namespace

Result<std::unique_ptr<App>> App::create(ServeConfig config) {
  if (auto langs = check_tesseract_languages(config.langs); !langs) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("setting DOCMILL_LANGS: {}", langs.error().message));
  }
  const JobPaths paths(config.data_dir);
  const DataDirSweep sweep = shared_data_dir_sweep(config);
  if (auto ok = prepare_data_dir(paths, sweep); !ok) return std::unexpected(ok.error());
  auto store = open_job_store(store_locator(config, paths));
  if (!store) return std::unexpected(store.error());
  // Units the previous server on this host held when it was killed go back to the queue now,
  // not after their leases; the interruption does not count as an attempt of theirs. (One
  // server per data directory on a host, as the data directory's files already require.) On
  // a shared store other nodes on this host may be running: their leases say when a unit is
  // free.
  if (!config.database_url) {
    auto released = (*store)->release_claims(fmt::format("{}:", host_name()));
    if (!released) return std::unexpected(released.error());
    if (*released > 0) spdlog::info("took over {} units a stopped server was running", *released);
  }
  auto orphans = remove_orphan_job_dirs(paths, **store, sweep);
  if (!orphans) return std::unexpected(orphans.error());
  if (*orphans > 0) spdlog::info("removed {} job directories without a job", *orphans);
  auto blobs = open_blob_store(config.s3, paths);
  if (auto reachable = blobs->check(); !reachable) return std::unexpected(reachable.error());
  return std::unique_ptr<App>(new App(std::move(config), std::move(*store), std::move(blobs)));
}

App::App(ServeConfig config, std::unique_ptr<JobStore> store, std::unique_ptr<BlobStore> blobs)
    : config_(std::move(config)),
      paths_(config_.data_dir),
      store_(std::move(store)),
      blobs_(std::move(blobs)),
      workers_(*store_, metrics_, supervisor_options(config_, paths_, job_changes_)),
      model_watch_(config_.vlm.configured() ? std::make_unique<ModelWatch>(config_.vlm) : nullptr),
      api_(*store_, workers_, *blobs_, paths_, metrics_,
           api_settings(config_, model_watch_.get(), job_changes_)),
      starvation_(*store_, config_.starvation),
      webhooks_(*store_, &job_changes_, config_.webhooks),
      blob_reaper_(*store_, *blobs_, paths_) {}

App::~App() {
  stop();
}

Status App::start() {
  if (model_watch_) model_watch_->start();
  if (config_.run_workers) workers_.start();
  // Like the seed, which loads its model before it serves: /health then says model_loaded
  // from its first answer. The workers go on loading in the background if this times out.
  if (config_.run_workers && workers_.wait_ready(std::chrono::seconds(60)) == 0) {
    spdlog::warn("no worker has loaded the OCR models yet; /health reports model_loaded false");
  }
  if (config_.retention) {
    retention_.emplace(*store_, workers_, *blobs_, *config_.retention);
    retention_->start();
  }
  starvation_.start();
  // With the data directory as the store, start-up's sweep is all it needs (app/data_dir.h).
  if (blobs_->local_copies()) blob_reaper_.start();
  // Deliveries a previous server left pending go out now, jobs finished from here on as they
  // finish.
  webhooks_.start();
  server_.new_task_queue = [threads =
                                kHttpThreads + static_cast<size_t>(config_.max_event_streams)] {
    return new httplib::ThreadPool(threads);
  };
  // httplib leaves Nagle's algorithm on: small JSON answers then wait for delayed ACKs (/status
  // p99 48 ms under bench/load_check.sh, 4.75 ms without).
  server_.set_tcp_nodelay(true);
  api_.install(server_);
  // httplib listens with a backlog of 5: more clients connecting at once than that (a burst of
  // uploads, many pollers) have their SYNs dropped and retried after 1, 3, 7, 15 s. The socket
  // is listened on again with the system's backlog.
  int listening = -1;
  server_.set_socket_options([&listening](socket_t sock) {
    httplib::default_socket_options(sock);
    listening = sock;
  });
  if (!server_.bind_to_port(config_.host, config_.port)) {
    return fail(ErrorCode::kIo,
                fmt::format("settings DOCMILL_HOST/DOCMILL_PORT: cannot listen on {}:{} (in use, "
                            "or not an address of this machine)",
                            config_.host, config_.port));
  }
  if (listening >= 0) ::listen(listening, SOMAXCONN);
  listener_ = std::jthread([this] {
    if (!server_.listen_after_bind()) spdlog::error("the HTTP server stopped unexpectedly");
  });
  // httplib's stop() only reaches a server that is already running: wait for it, so a signal
  // arriving right after start() cannot leave the listener blocked forever.
  while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  spdlog::info(
      "docmill serving on {}:{}: data {}, files in {}, jobs in {}, {} worker processes ({} MiB, {} "
      "s a page), languages {}, engine {}{}, auth {}",
      config_.host, config_.port, config_.data_dir.string(), blobs_->describe(),
      config_.database_url ? "PostgreSQL" : "SQLite", config_.run_workers ? config_.workers : 0,
      config_.worker_memory_bytes >> 20,
      std::chrono::duration_cast<std::chrono::seconds>(config_.page_timeout).count(), config_.langs,
      to_string(config_.engine),
      config_.vlm.configured() ? fmt::format(" (model server {}, {} requests at once)",
                                             config_.vlm.url, config_.vlm.concurrency)
                               : std::string(),
      config_.auth_token ? "on" : "off");
  return {};
}

void App::stop() {
  if (stopped_) return;
  stopped_ = true;
  spdlog::info("stopping: no new requests; waiting up to {} s for running pages",
               std::chrono::duration_cast<std::chrono::seconds>(config_.shutdown_grace).count());
  // Open event streams end first: the server's stop waits for the threads they hold.
  api_.stop_streams();
  server_.stop();
  if (listener_.joinable()) listener_.join();
  retention_.reset();
  workers_.stop(config_.shutdown_grace);
  // After the workers: it runs while they drain, so the jobs they finish meanwhile are
  // announced. An attempt in flight now is cut off and stays pending for the next start.
  webhooks_.stop();
  spdlog::info("stopped");
}

}  // namespace docmill
