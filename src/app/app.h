#pragma once
// docmill serve as one object: it owns the configuration, the job store, the worker processes
// (through their supervisor) and the HTTP server, starts them in that order and stops them in
// reverse: the server stops taking requests, then the workers drain (running pages finish
// within the grace period), then the store closes. This process never opens a PDF: uploads are
// checked and pages read in child processes. With run_workers off (serve --no-workers) it is
// an API node only: the pages are read by `docmill worker` processes elsewhere, on the same
// PostgreSQL store and data directory.
#include <httplib.h>

#include <memory>
#include <optional>
#include <thread>

#include "api/routes.h"
#include "app/model_watch.h"
#include "app/retention.h"
#include "app/starvation_guard.h"
#include "app/webhook_sender.h"
#include "blobs/blob_reaper.h"
#include "blobs/blob_store.h"
#include "blobs/job_paths.h"
#include "core/change_signal.h"
#include "core/config.h"
#include "core/error.h"
#include "core/metrics.h"
#include "exec/worker_supervisor.h"
#include "jobs/job_store.h"

namespace docmill {

class App {
 public:
  // Checks what can be checked before anything starts: the default OCR languages, the data
  // directory, the database.
  static Result<std::unique_ptr<App>> create(ServeConfig config);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Starts the workers and the server; returns once the server is listening.
  Status start();
  // Idempotent; returns once everything has stopped.
  void stop();

 private:
  App(ServeConfig config, std::unique_ptr<JobStore> store, std::unique_ptr<BlobStore> blobs);

  ServeConfig config_;
  JobPaths paths_;
  std::unique_ptr<JobStore> store_;
  std::unique_ptr<BlobStore> blobs_;  // the data directory, or an object store (DOCMILL_S3_*)
  ChangeSignal job_changes_;          // the workers tell it, the API's event streams wait on it
  Metrics metrics_;                   // the supervisor and the API count, GET /metrics reads
  WorkerSupervisor workers_;
  std::unique_ptr<ModelWatch> model_watch_;  // when a model server is configured
  Api api_;
  std::optional<RetentionSweeper> retention_;  // when DOCMILL_RETENTION_HOURS is set
  StarvationGuard starvation_;
  WebhookSender webhooks_;  // finished jobs' callback_url deliveries, woken by job_changes_
  BlobReaper blob_reaper_;  // files of deleted jobs, and this node's unused copies
  httplib::Server server_;
  std::jthread listener_;
  bool stopped_ = false;
};

}  // namespace docmill
