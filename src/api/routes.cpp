#include "api/routes.h"

#include <spdlog/spdlog.h>

#include <fmt/format.h>

#include <array>

#include "api/auth.h"
#include "api/file_response.h"
#include "api/http_errors.h"
#include "api/job_archive.h"
#include "api/job_json.h"
#include "api/metrics_scrape.h"
#include "api/openapi_document.h"
#include "api/readiness.h"
#include "api/response_encoding.h"
#include "core/files.h"
#include "core/ids.h"
#include "exec/job_removal.h"
#include "pipeline/output_writer.h"
#include "render/image_names.h"

namespace docmill {
namespace {

using httplib::Request;
using httplib::Response;

// The seed's message, word for word: clients may show it.
constexpr const char* kAcceptedMessage =
    "PDF processing initiated. Use /result/{job_id}/status to check progress.";

std::string job_id_of(const Request& req) {
  return req.matches.size() > 1 ? req.matches[1].str() : std::string();
}

void send_openapi(Response& res) {
  res.status = 200;
  res.set_content(std::string(openapi_document()), "application/json");
  // It changes with the binary; Swagger UI must not show an old one.
  res.set_header("Cache-Control", "no-cache");
}

void send_not_found(Response& res, std::string_view what) {
  send_error(res, 404, to_string(ErrorCode::kNotFound), what);
}

// A result file the blob store could not give: "<what> not found" as the seed answers for a
// missing output, or the store's own error (out of reach: 503) for a person to act on.
void send_result_error(Response& res, const Error& error, std::string_view what) {
  if (error.code == ErrorCode::kNotFound)
    return send_not_found(res, fmt::format("{} not found", what));
  spdlog::error("{}", error.message);
  send_error(res, error);
}

// Statuses httplib sets itself (no route, bad request line, ...) get the JSON body too.
std::string_view reason(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 413:
      return "Request body too large";
    case 414:
      return "URI Too Long";
    default:
      return "Error";
  }
}

// The operator's endpoints, public only when DOCMILL_METRICS_PUBLIC says so.
bool is_probe_path(std::string_view path) {
  return path == "/metrics" || path == "/ready";
}

std::vector<std::string_view> route_templates(std::span<const Route> routes) {
  std::vector<std::string_view> out;
  for (const Route& r : routes) out.push_back(r.path);
  return out;
}

}  // namespace

Api::Api(JobStore& store, WorkControl& workers, BlobStore& blobs, const JobPaths& paths,
         Metrics& metrics, ApiSettings settings)
    : store_(store),
      workers_(workers),
      blobs_(blobs),
      paths_(paths),
      metrics_(metrics),
      settings_(std::move(settings)),
      route_labels_(route_templates(routes())),
      intake_(store_, blobs_, paths_, settings_.limits, settings_.probe),
      events_(store_, settings_.job_changes, settings_.events,
              [this](const Job& job) { return json_text(job_to_json(job, standing(job))); }) {}

void Api::stop_streams() {
  events_.stop();
}

void Api::install(httplib::Server& server) {
  server.set_pre_routing_handler([this](const Request& req, Response& res) {
    log_.started(req);
    // The request object is httplib's own, not const; only the handler's view of it is.
    refuse_brotli(const_cast<Request&>(req));
    if (is_public_path(req.path) || (settings_.metrics_public && is_probe_path(req.path))) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    if (is_authorized(settings_.auth_token, req.get_header_value("Authorization"))) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    res.set_header("WWW-Authenticate", "Bearer");
    // The body of the request is not read: close rather than parse it as the next request.
    res.set_header("Connection", "close");
    send_error(res, 401, "unauthorized",
               "missing or invalid bearer token (send 'Authorization: Bearer <token>')");
    return httplib::Server::HandlerResponse::Handled;
  });
  server.set_error_handler(httplib::Server::HandlerWithResponse([](const Request&, Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    send_error(res, res.status, res.status == 404 ? "not_found" : "http_error", reason(res.status));
    return httplib::Server::HandlerResponse::Handled;
  }));
  server.set_logger([this](const Request& req, const Response& res) {
    log_.finished(req, res);
    metrics_.count_request(RouteLabels::method_of(req.method), route_labels_.route_of(req.path),
                           res.status);
  });

  install_web_assets(server, settings_.web);
  for (const Route& r : routes()) {
    const std::string pattern = route_pattern(r.path);
    if (r.receive) {
      server.Post(pattern, [this, receive = r.receive](const Request& q, Response& s,
                                                       const httplib::ContentReader& reader) {
        receive(*this, q, s, reader);
      });
      continue;
    }
    const auto handler = [this, handle = r.handle](const Request& q, Response& s) {
      handle(*this, q, s);
    };
    switch (r.method) {
      case HttpMethod::kGet:
        server.Get(pattern, handler);
        break;
      case HttpMethod::kPost:
        server.Post(pattern, handler);
        break;
      case HttpMethod::kDelete:
        server.Delete(pattern, handler);
        break;
    }
  }
}

std::span<const Route> Api::routes() {
  using M = HttpMethod;
  static constexpr std::array kRoutes{
      Route{M::kGet, "/", [](Api& a, const Request&, Response& s) { a.web_page(s, "index.html"); }},
      Route{M::kGet, "/docs",
            [](Api& a, const Request&, Response& s) { a.web_page(s, "docs.html"); }},
      Route{M::kGet, "/openapi.json", [](Api&, const Request&, Response& s) { send_openapi(s); }},
      Route{M::kGet, "/health", [](Api& a, const Request& q, Response& s) { a.health(q, s); }},
      Route{M::kGet, "/ready", [](Api& a, const Request&, Response& s) { a.ready(s); }},
      Route{M::kGet, "/metrics", [](Api& a, const Request&, Response& s) { a.metrics(s); }},
      Route{M::kPost, "/process_pdf", nullptr,
            [](Api& a, const Request& q, Response& s, const httplib::ContentReader& reader) {
              a.upload(q, s, reader);
            }},
      Route{M::kGet, "/result/{job_id}/status",
            [](Api& a, const Request& q, Response& s) { a.status(q, s); }},
      Route{M::kGet, "/result/{job_id}/markdown",
            [](Api& a, const Request& q, Response& s) { a.markdown(q, s, kMarkdownFile); }},
      Route{M::kGet, "/result/{job_id}/markdown_det",
            [](Api& a, const Request& q, Response& s) { a.markdown(q, s, kMarkdownDetFile); }},
      Route{M::kGet, "/result/{job_id}/layout_pdf",
            [](Api& a, const Request& q, Response& s) { a.pdf(q, s, kLayoutPdfFile, "layout"); }},
      Route{M::kGet, "/result/{job_id}/searchable_pdf",
            [](Api& a, const Request& q, Response& s) {
              a.pdf(q, s, kSearchablePdfFile, "searchable");
            }},
      Route{M::kGet, "/result/{job_id}/images",
            [](Api& a, const Request& q, Response& s) { a.images(q, s); }},
      Route{M::kGet, "/result/{job_id}/images/{image_name}",
            [](Api& a, const Request& q, Response& s) { a.image(q, s); }},
      Route{M::kGet, "/result/{job_id}/events",
            [](Api& a, const Request& q, Response& s) { a.events(q, s); }},
      Route{M::kGet, "/result/{job_id}/archive",
            [](Api& a, const Request& q, Response& s) { a.archive(q, s); }},
      Route{M::kGet, "/tasks", [](Api& a, const Request& q, Response& s) { a.tasks(q, s); }},
      Route{M::kDelete, "/result/{job_id}",
            [](Api& a, const Request& q, Response& s) { a.remove(q, s); }},
  };
  return kRoutes;
}

void Api::web_page(Response& res, const char* file) {
  send_web_page(res, settings_.web.web_dir / file);
}

bool Api::model_loaded() const {
  return settings_.model_loaded ? settings_.model_loaded() : workers_.ready_workers() > 0;
}

void Api::health(const Request&, Response& res) {
  send_json(res, 200, {{"status", "healthy"}, {"model_loaded", model_loaded()}});
}

void Api::ready(Response& res) {
  auto readiness = check_readiness(store_, blobs_, model_loaded(), paths_.data_dir(),
                                   settings_.ready_min_free_bytes);
  if (!readiness.ready) spdlog::warn("GET /ready: {}", readiness.body["detail"].get<std::string>());
  send_json(res, readiness.ready ? 200 : 503, readiness.body);
}

void Api::metrics(Response& res) {
  auto counts = store_.counts();
  if (!counts) spdlog::error("GET /metrics: {}", counts.error().message);
  res.status = 200;
  res.set_content(metrics_scrape(metrics_, counts ? &*counts : nullptr, workers_.occupancy()),
                  std::string(kPrometheusContentType));
}

void Api::upload(const Request& req, Response& res, const httplib::ContentReader& reader) {
  const std::string job_id = new_job_id();
  const auto part = paths_.uploads_dir() / (job_id + ".part");
  auto received = receive_upload(req, reader, part, settings_.max_upload_bytes);
  if (!received) {
    std::error_code ec;
    std::filesystem::remove(part, ec);
    res.set_header("Connection", "close");
    spdlog::info("upload rejected: {}", received.error().message);
    return send_error(res, received.error());
  }
  metrics_.count_upload_bytes(received->size);
  auto job = intake_.admit(job_id, *received, part);
  if (!job) {
    if (http_status(job.error().code) >= 500) {
      spdlog::error("upload failed: {}", job.error().message);
    } else {
      spdlog::info("upload rejected: {}", job.error().message);
    }
    return send_error(res, job.error());
  }
  spdlog::info("job {} pending: {} pages, engine {}, lang {}, dpi {}{}", job->job_id,
               job->total_pages, to_string(job->options.engine), job->options.lang,
               job->options.dpi, job->options.force_ocr ? ", force_ocr" : "");
  workers_.notify_work();
  send_json(res, 200,
            {{"job_id", job->job_id}, {"status", "pending"}, {"message", kAcceptedMessage}});
}

std::optional<Job> Api::find_job(const Request& req, Response& res) {
  const std::string id = job_id_of(req);
  // Not an id we make: it cannot name a job (and never reaches the database or a path).
  if (!is_job_id(id)) {
    send_not_found(res, "Job not found");
    return std::nullopt;
  }
  auto job = store_.get_job(id);
  if (!job) {
    spdlog::error("{}", job.error().message);
    send_error(res, job.error());
    return std::nullopt;
  }
  if (!*job) {
    send_not_found(res, "Job not found");
    return std::nullopt;
  }
  return std::move(**job);
}

std::optional<Job> Api::completed_job(const Request& req, Response& res) {
  auto job = find_job(req, res);
  if (!job) return std::nullopt;
  switch (job->status) {
    case JobStatus::kCompleted:
      return job;
    case JobStatus::kPending:
    case JobStatus::kProcessing:
      send_json(
          res, 202,
          {{"detail", fmt::format("Job is still {}; try again later", to_string(job->status))},
           {"job_id", job->job_id},
           {"status", to_string(job->status)},
           {"processed_pages", job->processed_pages},
           {"total_pages", job->total_pages}});
      return std::nullopt;
    case JobStatus::kFailed:
      send_json(res, 500,
                {{"detail", fmt::format("Job failed: {}", job->error_message.value_or(""))},
                 {"error", "job_failed"},
                 {"job_id", job->job_id},
                 {"status", "failed"},
                 {"error_message", job->error_message.value_or("")}});
      return std::nullopt;
  }
  return std::nullopt;
}

// Where the job stands; nullopt (the fields then null) when the store cannot say, which is
// logged but does not fail the request.
std::optional<QueueStanding> Api::standing(const Job& job) {
  if (job.status == JobStatus::kCompleted || job.status == JobStatus::kFailed) return std::nullopt;
  auto s = store_.queue_standing(job.job_id);
  if (!s) {
    if (s.error().code != ErrorCode::kNotFound) spdlog::warn("{}", s.error().message);
    return std::nullopt;
  }
  return *s;
}

void Api::status(const Request& req, Response& res) {
  if (auto job = find_job(req, res)) send_json(res, 200, job_to_json(*job, standing(*job)));
}

void Api::markdown(const Request& req, Response& res, const char* file) {
  auto job = completed_job(req, res);
  if (!job) return;
  const auto path = paths_.job_dir(job->job_id) / file;
  if (auto fetched = blobs_.get(path); !fetched)
    return send_result_error(res, fetched.error(), file);
  auto content = read_file(path);
  if (!content) return send_not_found(res, fmt::format("{} not found", file));
  send_json(res, 200, {{"job_id", job->job_id}, {"status", "completed"}, {"content", *content}});
}

void Api::pdf(const Request& req, Response& res, const char* file, std::string_view kind) {
  auto job = completed_job(req, res);
  if (!job) return;
  const auto path = paths_.job_dir(job->job_id) / file;
  if (auto fetched = blobs_.get(path); !fetched)
    return send_result_error(res, fetched.error(), file);
  if (auto sent = send_file(res, path, "application/pdf"); !sent) {
    return send_error(res, sent.error());
  }
  res.status = 200;
  res.set_header("Content-Disposition",
                 fmt::format("attachment; filename=\"{}_{}.pdf\"", job->job_id, kind));
}

void Api::images(const Request& req, Response& res) {
  auto job = completed_job(req, res);
  if (!job) return;
  auto stored = blobs_.list(paths_.images_dir(job->job_id));
  if (!stored) return send_error(res, stored.error());
  auto names = image_names_in_order(std::move(*stored));
  const auto count = names.size();
  send_json(res, 200,
            {{"job_id", job->job_id},
             {"status", "completed"},
             {"images", std::move(names)},
             {"count", count}});
}

void Api::image(const Request& req, Response& res) {
  auto job = completed_job(req, res);
  if (!job) return;
  const std::string name = req.matches.size() > 2 ? req.matches[2].str() : std::string();
  if (!is_image_name(name)) return send_not_found(res, "Image not found");
  const auto path = paths_.images_dir(job->job_id) / name;
  if (auto fetched = blobs_.get(path); !fetched) {
    return send_result_error(res, fetched.error(), "Image");
  }
  if (auto sent = send_file(res, path, "image/jpeg"); !sent) {
    return send_not_found(res, "Image not found");
  }
  res.status = 200;
}

void Api::events(const Request& req, Response& res) {
  // Last-Event-ID needs no handling: every stream starts with the job's current state, and
  // event ids come from that state (api/event_stream.h).
  if (auto job = find_job(req, res)) events_.serve(*job, res);
}

void Api::archive(const Request& req, Response& res) {
  auto job = completed_job(req, res);
  if (!job) return;
  auto files = job_archive_files(paths_, blobs_, job->job_id);
  if (!files) return send_error(res, files.error());
  res.status = 200;
  res.set_header("Content-Disposition",
                 fmt::format("attachment; filename=\"{}.zip\"", job->job_id));
  send_archive(res, std::move(*files));
}

void Api::tasks(const Request& req, Response& res) {
  std::optional<JobStatus> filter;
  if (req.has_param("status")) {
    const std::string value = req.get_param_value("status");
    if (!value.empty()) {
      filter = parse_job_status(value);
      if (!filter) {
        return send_error(res, 400, to_string(ErrorCode::kInvalidArgument),
                          fmt::format("unknown status '{}': use pending, processing, completed "
                                      "or failed",
                                      value));
      }
    }
  }
  auto jobs = store_.list_jobs(filter);
  if (!jobs) {
    spdlog::error("{}", jobs.error().message);
    return send_error(res, jobs.error());
  }
  nlohmann::json list = nlohmann::json::array();
  for (const auto& job : *jobs) list.push_back(job_to_json(job, standing(job)));
  send_json(res, 200, {{"tasks", std::move(list)}, {"count", jobs->size()}});
}

void Api::remove(const Request& req, Response& res) {
  auto job = find_job(req, res);
  if (!job) return;
  auto deleted = remove_job(store_, workers_, blobs_, job->job_id);
  if (!deleted) {
    spdlog::error("{}", deleted.error().message);
    return send_error(res, deleted.error());
  }
  if (!*deleted) return send_not_found(res, "Job not found");  // a concurrent DELETE won
  spdlog::info("job {} deleted (was {})", job->job_id, to_string(job->status));
  // Its event streams say so now rather than at their next poll.
  if (settings_.job_changes != nullptr) settings_.job_changes->notify();
  send_json(res, 200, {{"job_id", job->job_id}, {"status", "deleted"}});
}

}  // namespace docmill
