#pragma once
// The settings of `docmill serve`: each is an environment variable and a flag (the flag wins),
// parsed and validated once, at start, into ServeConfig. A bad value stops the start with a
// message naming the setting, rather than surfacing later as a strange failure.
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/engine_settings.h"
#include "core/error.h"
#include "core/read_options.h"
#include "core/s3_settings.h"
#include "core/webhook_settings.h"

namespace docmill {

// web/ of the source tree docmill was built from.
std::filesystem::path default_web_dir();

struct ServeConfig {
  std::string host = "0.0.0.0";
  int port = 8000;
  std::filesystem::path data_dir = "./data";
  // The PostgreSQL job store; unset: SQLite in data_dir.
  std::optional<std::string> database_url;
  // The object store for the jobs' files; not configured: they stay in data_dir.
  S3Settings s3{};
  std::optional<std::string> auth_token;  // unset: no authentication
  std::string langs = "eng";              // default Tesseract languages of a job
  int dpi = 300;                          // default render resolution for OCR
  int workers = 1;                        // pages processed at once
  // false: an API node (serve --no-workers); `docmill worker` reads the pages elsewhere.
  bool run_workers = true;
  long long max_upload_bytes = 200LL << 20;
  int max_pages = 2000;
  int max_queued_jobs = 1000;
  // Server-Sent Events streams open at once. Each holds one thread of the HTTP server's pool
  // for as long as it is open, so the pool is this many threads larger than it would be.
  int max_event_streams = 64;
  // GET /ready fails its disk check below this much free space in the data directory.
  long long ready_min_free_bytes = 1024LL << 20;
  // GET /metrics and GET /ready answered without the token.
  bool metrics_public = false;
  // How long a claimed page stays reserved for its worker without a heartbeat: after a crash,
  // the time until another worker (or the restarted process) takes the page over.
  std::chrono::milliseconds lease{60'000};
  // On SIGTERM: how long running pages may take to finish before they are stopped.
  std::chrono::milliseconds shutdown_grace{30'000};
  // Per worker process: its address space and resident size. 1 GiB leaves room for two
  // workers and the server on a 4 GB machine; a 300 dpi page needs well under half of it.
  long long worker_memory_bytes = 1024LL << 20;
  std::chrono::milliseconds page_timeout{120'000};
  long long max_render_pixels = 50'000'000;
  // Completed and failed jobs older than this are deleted, rows and files; unset: kept.
  std::optional<std::chrono::hours> retention;
  // A low-priority job waiting longer than this is served as normal, so low never starves.
  std::chrono::seconds starvation{600};
  // The engine of a job that does not choose one: `auto` (unset) is the VLM when its URL is set.
  EngineKind engine = EngineKind::kTesseract;
  VlmSettings vlm;
  // The default for a job's pages with someone else's invisible OCR layer.
  OcrExisting ocr_existing = OcrExisting::kAuto;
  // The web page and API docs page (web/ of the source tree, where the build found it).
  std::filesystem::path web_dir = default_web_dir();
  // Where finished jobs are announced (an upload's callback_url), and how.
  WebhookSettings webhooks{};
};

// One setting: its environment variable, its flag, what it means and its default as text.
struct SettingSpec {
  std::string_view env;
  std::string_view flag;  // without the leading "--"
  std::string_view help;
  std::string_view default_text;
};

// Every setting, in the order of the documentation.
std::span<const SettingSpec> serve_settings();

// Raw values by environment variable name.
using SettingValues = std::map<std::string, std::string, std::less<>>;
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// The values the environment sets; `env` is getenv in production, a map in tests.
SettingValues settings_from_env(const EnvLookup& env);
EnvLookup process_env();

// Parses and checks the values; unset ones take their defaults. kInvalidArgument naming the
// setting on the first bad value.
Result<ServeConfig> make_serve_config(const SettingValues& values);

// DOCMILL_VLM_* from `values` into `vlm` (unset ones keep their value); `convert` shares them.
Status apply_vlm_settings(const SettingValues& values, VlmSettings& vlm);
// "tesseract" | "vlm" | "auto" (nullopt) for the setting or field `name`.
Result<std::optional<EngineKind>> engine_choice(std::string_view name, std::string_view text);

}  // namespace docmill
