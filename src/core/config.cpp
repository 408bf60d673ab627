#include "core/config.h"

#include <array>
#include <charconv>
#include <cstdlib>
#include <thread>

#include <fmt/format.h>

namespace docmill {
namespace {

constexpr std::array<SettingSpec, 45> kSettings{{
    {"DOCMILL_HOST", "host", "address to listen on", "0.0.0.0"},
    {"DOCMILL_PORT", "port", "port to listen on", "8000"},
    {"DOCMILL_DATA_DIR", "data-dir", "where the job database, uploads and outputs live", "./data"},
    {"DOCMILL_DATABASE_URL", "database-url",
     "a PostgreSQL server for the jobs (postgresql://user:password@host/db), shared by API nodes "
     "and workers on several machines; they share DOCMILL_DATA_DIR too",
     "unset: SQLite in the data directory"},
    {"DOCMILL_S3_ENDPOINT", "s3-endpoint",
     "an S3-compatible object store for the jobs' files (http://minio:9000, "
     "https://s3.eu-west-1.amazonaws.com), so nodes need no shared DOCMILL_DATA_DIR",
     "unset: the files stay in the data directory"},
    {"DOCMILL_S3_BUCKET", "s3-bucket", "the bucket of DOCMILL_S3_ENDPOINT (it must exist)",
     "docmill"},
    {"DOCMILL_S3_REGION", "s3-region", "the region requests are signed for", "us-east-1"},
    {"DOCMILL_S3_ACCESS_KEY_ID", "s3-access-key-id", "the object store's access key", "unset"},
    {"DOCMILL_S3_SECRET_ACCESS_KEY", "s3-secret-access-key", "the object store's secret key",
     "unset"},
    {"DOCMILL_WEB_DIR", "web-dir", "docmill's web/ folder: the page at / and the docs at /docs",
     "web/ of the source tree it was built from"},
    {"AUTH_TOKEN", "auth-token", "bearer token every endpoint but /health requires",
     "unset: no authentication"},
    {"DOCMILL_LANGS", "langs", "default Tesseract languages of a job, e.g. eng+deu", "eng"},
    {"DOCMILL_DPI", "dpi",
     "default OCR resolution of vector pages, and the least for scanned pages (72-600)", "300"},
    {"DOCMILL_WORKERS", "workers", "pages processed at once", "the number of cores"},
    {"DOCMILL_MAX_UPLOAD_MB", "max-upload-mb", "largest upload accepted, in MiB", "200"},
    {"DOCMILL_MAX_PAGES", "max-pages", "most pages one job may have", "2000"},
    {"DOCMILL_MAX_QUEUED_JOBS", "max-queued-jobs", "most jobs pending or processing at once",
     "1000"},
    {"DOCMILL_MAX_EVENT_STREAMS", "max-event-streams",
     "most /result/{job_id}/events streams open at once; each holds one HTTP thread", "64"},
    {"DOCMILL_READY_MIN_FREE_MB", "ready-min-free-mb",
     "GET /ready answers 503 when the data directory has less free space than this, in MiB",
     "1024"},
    {"DOCMILL_METRICS_PUBLIC", "metrics-public",
     "1: GET /metrics and GET /ready need no token (for a scraper or a probe); 0: they do", "0"},
    {"DOCMILL_LEASE_SECONDS", "lease-seconds",
     "how long a crashed worker's page stays reserved before it is taken over", "60"},
    {"DOCMILL_SHUTDOWN_GRACE_SECONDS", "shutdown-grace-seconds",
     "on SIGTERM, how long running pages may take to finish", "30"},
    {"DOCMILL_WORKER_MEMORY_MB", "worker-memory-mb",
     "memory of one worker process (address space, and resident size), in MiB", "1024"},
    {"DOCMILL_PAGE_TIMEOUT_SECONDS", "page-timeout-seconds",
     "wall time one page may take before it fails", "120"},
    {"DOCMILL_MAX_RENDER_MEGAPIXELS", "max-render-megapixels",
     "largest page render; a larger page is rendered at a lower dpi, with a warning", "50"},
    {"DOCMILL_RETENTION_HOURS", "retention-hours",
     "delete completed and failed jobs (rows and files) older than this", "unset: keep"},
    {"DOCMILL_STARVATION_SECONDS", "starvation-seconds",
     "a low-priority job waiting longer than this is served as normal", "600"},
    {"DOCMILL_OCR_EXISTING", "ocr-existing",
     "a page whose text is an invisible OCR layer over a scan: auto (keep it when it reads "
     "like words, else OCR again), keep, or redo",
     "auto"},
    {"DOCMILL_ENGINE", "engine", "tesseract, vlm, or auto: vlm when DOCMILL_VLM_URL is set",
     "auto"},
    {"DOCMILL_VLM_URL", "vlm-url",
     "base URL of an OpenAI-compatible model server, e.g. http://gpu-host:8000/v1", "unset"},
    {"DOCMILL_VLM_MODEL", "vlm-model", "model to ask", "the first model the server lists"},
    {"DOCMILL_VLM_API_KEY", "vlm-api-key", "sent as Bearer; never logged", "unset"},
    {"DOCMILL_VLM_CONCURRENCY", "vlm-concurrency", "model requests in flight across all jobs",
     "16"},
    {"DOCMILL_VLM_TIMEOUT_SECONDS", "vlm-timeout-seconds", "time one model request may take",
     "300"},
    {"DOCMILL_VLM_MAX_TOKENS", "vlm-max-tokens", "longest answer for one page, in tokens", "6000"},
    {"DOCMILL_VLM_DPI", "vlm-dpi", "resolution of the page image sent to the model (36-600)",
     "144"},
    {"DOCMILL_VLM_MAX_SIDE", "vlm-max-side",
     "longest side of the page image sent, in pixels (a larger page is rendered smaller)", "1920"},
    {"DOCMILL_VLM_FALLBACK", "vlm-fallback",
     "a page the model could not read: tesseract (read it so, with a warning) or fail",
     "tesseract"},
    {"DOCMILL_VLM_PROTOCOL", "vlm-protocol",
     "deepseek (grounding tags with boxes) or markdown (any VLM answering plain markdown)",
     "deepseek"},
    {"DOCMILL_VLM_TEXT_LAYER", "vlm-text-layer",
     "merge: text blocks take a usable text layer's characters; ignore: the model's", "merge"},
    {"DOCMILL_VLM_RETRY_TEMPERATURE", "vlm-retry-temperature",
     "temperature of the retry after an answer cut in a repetition loop (0-2)", "0.2"},
    {"DOCMILL_WEBHOOK_SECRET", "webhook-secret",
     "key of the HMAC-SHA256 signature (X-Docmill-Signature) of webhook deliveries; never logged",
     "unset: deliveries unsigned"},
    {"DOCMILL_WEBHOOK_ALLOW_HOSTS", "webhook-allow-hosts",
     "comma-separated hosts (names or addresses) a callback_url may name, private or not; "
     "set, no other host is allowed",
     "unset: any host with only public addresses"},
    {"DOCMILL_WEBHOOK_MAX_ATTEMPTS", "webhook-max-attempts",
     "attempts at one webhook delivery before it is given up (1-100)", "8"},
    {"DOCMILL_WEBHOOK_RETRY_SECONDS", "webhook-retry-seconds",
     "wait before a failed webhook delivery is tried again; doubles each time, at most an hour",
     "5"},
}};

std::unexpected<Error> bad_setting(std::string_view name, std::string_view value,
                                   std::string_view why) {
  return fail(ErrorCode::kInvalidArgument,
              fmt::format("setting {}: '{}' is not valid: {}", name, value, why));
}

Result<long long> parse_int(std::string_view name, std::string_view text, long long min,
                            long long max) {
  long long v = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc{} || ptr != end) return bad_setting(name, text, "expected a whole number");
  if (v < min || v > max) {
    return bad_setting(name, text, fmt::format("expected a number from {} to {}", min, max));
  }
  return v;
}

// Calls `apply` with the value of `name` when it is set; passes its error on.
template <class F>
Status with_value(const SettingValues& values, std::string_view name, F&& apply) {
  const auto it = values.find(name);
  if (it == values.end()) return {};
  return apply(it->second);
}

template <class T>
Status int_setting(const SettingValues& values, std::string_view name, long long min, long long max,
                   T& out, long long scale = 1) {
  return with_value(values, name, [&](const std::string& text) -> Status {
    auto v = parse_int(name, text, min, max);
    if (!v) return std::unexpected(v.error());
    out = static_cast<T>(*v * scale);
    return {};
  });
}

bool valid_langs(std::string_view langs) {
  if (langs.empty()) return false;
  for (char c : langs) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '+' || c == '-';
    if (!ok) return false;
  }
  return langs.front() != '+' && langs.back() != '+';
}

template <class E>
Status enum_setting(const SettingValues& values, std::string_view name,
                    std::optional<E> (*parse)(std::string_view), std::string_view expected,
                    E& out) {
  return with_value(values, name, [&](const std::string& text) -> Status {
    auto v = parse(text);
    if (!v) return bad_setting(name, text, fmt::format("expected {}", expected));
    out = *v;
    return {};
  });
}

Status vlm_settings(const SettingValues& values, VlmSettings& vlm) {
  long long timeout_s = vlm.timeout.count();
  const Status steps[] = {
      with_value(values, "DOCMILL_VLM_URL",
                 [&](const std::string& v) -> Status {
                   if (!v.empty() && !v.starts_with("http://") && !v.starts_with("https://")) {
                     return bad_setting("DOCMILL_VLM_URL", v,
                                        "expected an http:// or https:// URL, e.g. "
                                        "http://gpu-host:8000/v1");
                   }
                   vlm.url = v;
                   while (vlm.url.ends_with('/')) vlm.url.pop_back();
                   return {};
                 }),
      with_value(values, "DOCMILL_VLM_MODEL",
                 [&](const std::string& v) -> Status {
                   vlm.model = v;
                   return {};
                 }),
      with_value(values, "DOCMILL_VLM_API_KEY",
                 [&](const std::string& v) -> Status {
                   if (!v.empty()) vlm.api_key = v;
                   return {};
                 }),
      int_setting(values, "DOCMILL_VLM_CONCURRENCY", 1, 1024, vlm.concurrency),
      int_setting(values, "DOCMILL_VLM_TIMEOUT_SECONDS", 1, 86'400, timeout_s),
      int_setting(values, "DOCMILL_VLM_MAX_TOKENS", 16, 1'000'000, vlm.max_tokens),
      int_setting(values, "DOCMILL_VLM_DPI", 36, 600, vlm.dpi),
      int_setting(values, "DOCMILL_VLM_MAX_SIDE", 256, 10'000, vlm.max_side),
      enum_setting(values, "DOCMILL_VLM_FALLBACK", parse_vlm_fallback, "tesseract or fail",
                   vlm.fallback),
      enum_setting(values, "DOCMILL_VLM_PROTOCOL", parse_vlm_protocol, "deepseek or markdown",
                   vlm.protocol),
      enum_setting(values, "DOCMILL_VLM_TEXT_LAYER", parse_vlm_text_layer, "merge or ignore",
                   vlm.text_layer),
      with_value(values, "DOCMILL_VLM_RETRY_TEMPERATURE",
                 [&](const std::string& v) -> Status {
                   double t = -1;
                   const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), t);
                   if (ec != std::errc{} || ptr != v.data() + v.size() || t < 0 || t > 2) {
                     return bad_setting("DOCMILL_VLM_RETRY_TEMPERATURE", v,
                                        "expected a number from 0 to 2");
                   }
                   vlm.retry_temperature = t;
                   return {};
                 }),
  };
  for (const auto& s : steps) {
    if (!s) return s;
  }
  vlm.timeout = std::chrono::seconds(timeout_s);
  return {};
}

// The object store: all of DOCMILL_S3_* or none. The keys are never echoed.
Status s3_settings(const SettingValues& values, S3Settings& s3) {
  S3Settings read;
  read.bucket = "docmill";
  const auto text = [](std::string& into) {
    return [&into](const std::string& v) -> Status {
      if (!v.empty()) into = v;
      return {};
    };
  };
  const Status steps[] = {
      with_value(values, "DOCMILL_S3_ENDPOINT",
                 [&](const std::string& v) -> Status {
                   if (!v.empty() && !v.starts_with("http://") && !v.starts_with("https://")) {
                     return bad_setting("DOCMILL_S3_ENDPOINT", v,
                                        "expected an http:// or https:// URL, e.g. "
                                        "http://minio:9000");
                   }
                   // Keys in the URL would be logged with it; they have settings of their own.
                   if (v.find('@') != std::string::npos) {
                     return fail(ErrorCode::kInvalidArgument,
                                 "setting DOCMILL_S3_ENDPOINT: put the keys in "
                                 "DOCMILL_S3_ACCESS_KEY_ID and DOCMILL_S3_SECRET_ACCESS_KEY, not "
                                 "in the URL");
                   }
                   read.endpoint = v;
                   return {};
                 }),
      with_value(values, "DOCMILL_S3_BUCKET", text(read.bucket)),
      with_value(values, "DOCMILL_S3_REGION", text(read.region)),
      with_value(values, "DOCMILL_S3_ACCESS_KEY_ID", text(read.access_key_id)),
      with_value(values, "DOCMILL_S3_SECRET_ACCESS_KEY", text(read.secret_access_key)),
  };
  for (const auto& s : steps) {
    if (!s) return s;
  }
  if (read.configured() && (read.access_key_id.empty() || read.secret_access_key.empty())) {
    return fail(ErrorCode::kInvalidArgument,
                "setting DOCMILL_S3_ENDPOINT: the object store needs DOCMILL_S3_ACCESS_KEY_ID and "
                "DOCMILL_S3_SECRET_ACCESS_KEY as well");
  }
  s3 = std::move(read);
  return {};
}

}  // namespace

std::filesystem::path default_web_dir() {
  return DOCMILL_DEFAULT_WEB_DIR;
}

Result<std::optional<EngineKind>> engine_choice(std::string_view name, std::string_view text) {
  if (text == "auto") return std::nullopt;
  if (auto e = parse_engine_kind(text)) return *e;
  return bad_setting(name, text, "expected tesseract, vlm or auto");
}

Status apply_vlm_settings(const SettingValues& values, VlmSettings& vlm) {
  return vlm_settings(values, vlm);
}

std::span<const SettingSpec> serve_settings() {
  return kSettings;
}

SettingValues settings_from_env(const EnvLookup& env) {
  SettingValues values;
  for (const auto& s : kSettings) {
    if (auto v = env(s.env)) values.emplace(std::string(s.env), std::move(*v));
  }
  return values;
}

EnvLookup process_env() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

Result<ServeConfig> make_serve_config(const SettingValues& values) {
  ServeConfig c;
  c.workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  long long lease_s = 60;
  long long grace_s = 30;
  long long page_timeout_s = 120;
  long long retention_h = 0;
  long long starvation_s = 600;
  long long metrics_public = 0;
  long long webhook_retry_s = c.webhooks.retry_base.count();
  std::optional<EngineKind> chosen_engine;
  const Status steps[] = {
      with_value(values, "DOCMILL_HOST",
                 [&](const std::string& v) -> Status {
                   if (v.empty()) return bad_setting("DOCMILL_HOST", v, "expected an address");
                   c.host = v;
                   return {};
                 }),
      int_setting(values, "DOCMILL_PORT", 1, 65535, c.port),
      with_value(values, "DOCMILL_DATABASE_URL",
                 [&](const std::string& v) -> Status {
                   if (v.empty()) return {};
                   // Not echoed: the value may hold a password.
                   if (!v.starts_with("postgresql://") && !v.starts_with("postgres://")) {
                     return fail(ErrorCode::kInvalidArgument,
                                 "setting DOCMILL_DATABASE_URL: expected "
                                 "postgresql://user:password@host:port/database");
                   }
                   c.database_url = v;
                   return {};
                 }),
      s3_settings(values, c.s3),
      with_value(values, "DOCMILL_DATA_DIR",
                 [&](const std::string& v) -> Status {
                   if (v.empty()) return bad_setting("DOCMILL_DATA_DIR", v, "expected a path");
                   c.data_dir = v;
                   return {};
                 }),
      with_value(values, "DOCMILL_WEB_DIR",
                 [&](const std::string& v) -> Status {
                   if (v.empty()) return bad_setting("DOCMILL_WEB_DIR", v, "expected a path");
                   c.web_dir = v;
                   return {};
                 }),
      // An empty token would accept "Bearer " from anyone: treat it as no token, said openly
      // in the start-up log rather than silently half-enabled.
      with_value(values, "AUTH_TOKEN",
                 [&](const std::string& v) -> Status {
                   if (!v.empty()) c.auth_token = v;
                   return {};
                 }),
      with_value(values, "DOCMILL_LANGS",
                 [&](const std::string& v) -> Status {
                   if (!valid_langs(v)) {
                     return bad_setting("DOCMILL_LANGS", v,
                                        "expected Tesseract language codes joined by '+', "
                                        "e.g. eng+deu");
                   }
                   c.langs = v;
                   return {};
                 }),
      int_setting(values, "DOCMILL_DPI", 72, 600, c.dpi),
      int_setting(values, "DOCMILL_WORKERS", 1, 256, c.workers),
      int_setting(values, "DOCMILL_MAX_UPLOAD_MB", 1, 1 << 20, c.max_upload_bytes, 1LL << 20),
      int_setting(values, "DOCMILL_MAX_PAGES", 1, 1'000'000, c.max_pages),
      int_setting(values, "DOCMILL_MAX_QUEUED_JOBS", 1, 1'000'000, c.max_queued_jobs),
      int_setting(values, "DOCMILL_MAX_EVENT_STREAMS", 1, 4096, c.max_event_streams),
      int_setting(values, "DOCMILL_READY_MIN_FREE_MB", 0, 1LL << 30, c.ready_min_free_bytes,
                  1LL << 20),
      int_setting(values, "DOCMILL_METRICS_PUBLIC", 0, 1, metrics_public),
      int_setting(values, "DOCMILL_LEASE_SECONDS", 2, 86'400, lease_s),
      int_setting(values, "DOCMILL_SHUTDOWN_GRACE_SECONDS", 0, 86'400, grace_s),
      int_setting(values, "DOCMILL_WORKER_MEMORY_MB", 256, 1 << 20, c.worker_memory_bytes,
                  1LL << 20),
      int_setting(values, "DOCMILL_PAGE_TIMEOUT_SECONDS", 1, 86'400, page_timeout_s),
      int_setting(values, "DOCMILL_MAX_RENDER_MEGAPIXELS", 1, 10'000, c.max_render_pixels,
                  1'000'000),
      int_setting(values, "DOCMILL_RETENTION_HOURS", 1, 1'000'000, retention_h),
      int_setting(values, "DOCMILL_STARVATION_SECONDS", 1, 1'000'000, starvation_s),
      vlm_settings(values, c.vlm),
      with_value(values, "DOCMILL_WEBHOOK_SECRET",
                 [&](const std::string& v) -> Status {
                   if (!v.empty()) c.webhooks.secret = v;
                   return {};
                 }),
      with_value(values, "DOCMILL_WEBHOOK_ALLOW_HOSTS",
                 [&](const std::string& v) -> Status {
                   c.webhooks.policy.allow_hosts = parse_allow_hosts(v);
                   return {};
                 }),
      int_setting(values, "DOCMILL_WEBHOOK_MAX_ATTEMPTS", 1, 100, c.webhooks.max_attempts),
      int_setting(values, "DOCMILL_WEBHOOK_RETRY_SECONDS", 1, 86'400, webhook_retry_s),
      enum_setting(values, "DOCMILL_OCR_EXISTING", parse_ocr_existing, "auto, keep or redo",
                   c.ocr_existing),
      with_value(values, "DOCMILL_ENGINE",
                 [&](const std::string& v) -> Status {
                   auto e = engine_choice("DOCMILL_ENGINE", v);
                   if (!e) return std::unexpected(e.error());
                   chosen_engine = *e;
                   return {};
                 }),
  };
  for (const auto& s : steps) {
    if (!s) return std::unexpected(s.error());
  }
  c.lease = std::chrono::seconds(lease_s);
  c.shutdown_grace = std::chrono::seconds(grace_s);
  c.page_timeout = std::chrono::seconds(page_timeout_s);
  if (retention_h > 0) c.retention = std::chrono::hours(retention_h);
  c.starvation = std::chrono::seconds(starvation_s);
  c.metrics_public = metrics_public == 1;
  c.webhooks.retry_base = std::chrono::seconds(webhook_retry_s);
  c.engine = resolve_engine(chosen_engine, c.vlm);
  if (c.engine == EngineKind::kVlm && !c.vlm.configured()) {
    return bad_setting("DOCMILL_ENGINE", "vlm",
                       "the VLM engine needs the model server's URL in DOCMILL_VLM_URL");
  }
  return c;
}

}  // namespace docmill
