#pragma once
// The HTTP API of docmill serve (spec/API.md): the seed's endpoints on the job store, the
// worker pool and the job files. Status codes are decided here and in http_errors only.
#include <httplib.h>

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "api/job_events.h"
#include "api/job_intake.h"
#include "api/request_log.h"
#include "api/route_labels.h"
#include "api/route_pattern.h"
#include "api/web_assets.h"
#include "blobs/blob_store.h"
#include "blobs/job_paths.h"
#include "core/change_signal.h"
#include "core/metrics.h"
#include "exec/work_control.h"
#include "jobs/job_store.h"

namespace docmill {

struct ApiSettings {
  std::optional<std::string> auth_token;
  long long max_upload_bytes = 200LL << 20;
  IntakeLimits limits;
  UploadProbe probe;
  // /health's model_loaded when the default engine is not the embedded one (the model server
  // is ready); unset: a worker has loaded the OCR models.
  std::function<bool()> model_loaded{};
  WebAssets web{};
  EventStreamSettings events{};
  // Told when a job's row may have changed (a worker started or ended a unit); the event
  // streams wait on it. Null: they only poll.
  ChangeSignal* job_changes = nullptr;
  // GET /ready's disk check: the least free space in the data directory.
  long long ready_min_free_bytes = 1024LL << 20;
  // GET /metrics and GET /ready answered without the token (DOCMILL_METRICS_PUBLIC=1).
  bool metrics_public = false;
};

class Api;

// One endpoint: what Api::install registers, and what openapi.json must describe.
struct Route {
  HttpMethod method;
  std::string_view path;  // the OpenAPI path template, e.g. /result/{job_id}/images/{image_name}
  void (*handle)(Api&, const httplib::Request&, httplib::Response&) = nullptr;
  // Instead of `handle`, for a POST whose body the handler streams itself.
  void (*receive)(Api&, const httplib::Request&, httplib::Response&,
                  const httplib::ContentReader&) = nullptr;
};

class Api {
 public:
  // `metrics` gets the uploads' bytes and every request's route and status.
  // `blobs` holds the jobs' files (the data directory itself, or an object store whose copies
  // the data directory keeps).
  Api(JobStore& store, WorkControl& workers, BlobStore& blobs, const JobPaths& paths,
      Metrics& metrics, ApiSettings settings);
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  // Installs the routes, auth, error bodies and the request log on `server`.
  void install(httplib::Server& server);
  // Ends the open event streams and refuses new ones; call before stopping the server, whose
  // stop waits for the threads the streams hold.
  void stop_streams();

  // Every endpoint install() registers (the /static/ file mounts are not endpoints).
  static std::span<const Route> routes();

 private:
  void web_page(httplib::Response& res, const char* file);
  void health(const httplib::Request& req, httplib::Response& res);
  void ready(httplib::Response& res);
  void metrics(httplib::Response& res);
  // What /health reports as model_loaded.
  bool model_loaded() const;
  void upload(const httplib::Request& req, httplib::Response& res,
              const httplib::ContentReader& reader);
  void status(const httplib::Request& req, httplib::Response& res);
  void markdown(const httplib::Request& req, httplib::Response& res, const char* file);
  // A PDF output (`file`), sent as the attachment {job_id}_{kind}.pdf.
  void pdf(const httplib::Request& req, httplib::Response& res, const char* file,
           std::string_view kind);
  void images(const httplib::Request& req, httplib::Response& res);
  void image(const httplib::Request& req, httplib::Response& res);
  void tasks(const httplib::Request& req, httplib::Response& res);
  void remove(const httplib::Request& req, httplib::Response& res);
  void events(const httplib::Request& req, httplib::Response& res);
  void archive(const httplib::Request& req, httplib::Response& res);

  // The job a result endpoint asks for, when it is completed; otherwise answers the request
  // itself (404 unknown, 202 not yet, 500 failed) and returns nullopt.
  std::optional<Job> completed_job(const httplib::Request& req, httplib::Response& res);
  std::optional<QueueStanding> standing(const Job& job);
  // The job named by the path; answers 404 itself when there is none.
  std::optional<Job> find_job(const httplib::Request& req, httplib::Response& res);

  JobStore& store_;
  WorkControl& workers_;
  BlobStore& blobs_;
  const JobPaths& paths_;
  Metrics& metrics_;
  ApiSettings settings_;
  RouteLabels route_labels_;
  JobIntake intake_;
  JobEventStreams events_;
  RequestLog log_;
};

}  // namespace docmill
