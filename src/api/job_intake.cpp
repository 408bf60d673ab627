#include "api/job_intake.h"

#include "core/config.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "core/clock.h"
#include "core/page_range.h"
#include "ocr/tesseract_engine.h"
#include "pdf/pdf_document.h"

namespace docmill {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

const std::string* field(const Upload& upload, std::string_view name) {
  const auto it = upload.fields.find(name);
  return it == upload.fields.end() ? nullptr : &it->second;
}

// Only the last path component of the client's name: it is shown back, never used as a path.
std::string display_name(std::string_view name) {
  if (const auto slash = name.find_last_of("/\\"); slash != std::string_view::npos) {
    name.remove_prefix(slash + 1);
  }
  if (name.size() > 255) name = name.substr(0, 255);
  return name.empty() ? std::string("upload.pdf") : std::string(name);
}

// Removes a directory tree on every path out of a scope unless released.
// Removes a job's files (its directory here, its objects in the blob store) unless released:
// whatever rejects an upload after they were made leaves nothing behind.
class RemoveJobFilesOnExit {
 public:
  RemoveJobFilesOnExit(BlobStore& blobs, std::string job_id)
      : blobs_(blobs), job_id_(std::move(job_id)) {}
  ~RemoveJobFilesOnExit() {
    if (!job_id_.empty()) (void)blobs_.remove_job(job_id_);
  }
  RemoveJobFilesOnExit(const RemoveJobFilesOnExit&) = delete;
  RemoveJobFilesOnExit& operator=(const RemoveJobFilesOnExit&) = delete;
  void release() { job_id_.clear(); }

 private:
  BlobStore& blobs_;
  std::string job_id_;
};

}  // namespace

Result<ReadOptions> read_options_from_fields(const Upload& upload, const ReadOptions& defaults,
                                             bool vlm_available) {
  ReadOptions options = defaults;
  if (const auto* engine = field(upload, "engine")) {
    const std::string value = lower(trim(*engine));
    if (!value.empty()) {
      auto e = engine_choice("field 'engine'", value);
      if (!e) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("field 'engine': '{}' is not tesseract, vlm or auto", value));
      }
      const EngineKind kind =
          e->value_or(vlm_available ? EngineKind::kVlm : EngineKind::kTesseract);
      if (kind == EngineKind::kVlm && !vlm_available) {
        return fail(ErrorCode::kInvalidArgument,
                    "field 'engine': 'vlm' needs a model server, and this service has none "
                    "configured (DOCMILL_VLM_URL)");
      }
      options.engine = kind;
    }
  }
  if (const auto* lang = field(upload, "lang")) {
    const auto value = trim(*lang);
    if (!value.empty()) {
      if (auto ok = check_tesseract_languages(value); !ok) {
        return fail(ok.error().code, fmt::format("field 'lang': {}", ok.error().message));
      }
      options.lang = std::string(value);
    }
  }
  if (const auto* dpi = field(upload, "dpi")) {
    const auto value = trim(*dpi);
    if (!value.empty()) {
      int v = 0;
      const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (ec != std::errc{} || ptr != value.data() + value.size() || v < 72 || v > 600) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("field 'dpi': '{}' is not a number from 72 to 600", value));
      }
      options.dpi = v;
    }
  }
  if (const auto* existing = field(upload, "ocr_existing")) {
    const std::string value = lower(trim(*existing));
    if (!value.empty()) {
      const auto mode = parse_ocr_existing(value);
      if (!mode) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("field 'ocr_existing': '{}' is not auto, keep or redo", value));
      }
      options.ocr_existing = *mode;
    }
  }
  if (const auto* force = field(upload, "force_ocr")) {
    const std::string value = lower(trim(*force));
    if (value == "true" || value == "1" || value == "yes" || value == "on") {
      options.force_ocr = true;
    } else if (value == "false" || value == "0" || value == "no" || value == "off" ||
               value.empty()) {
      options.force_ocr = false;
    } else {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("field 'force_ocr': '{}' is not true or false", value));
    }
  }
  return options;
}

Result<std::optional<std::string>> callback_url_from_fields(const Upload& upload,
                                                            const WebhookPolicy& policy,
                                                            const HostResolver& resolve) {
  const auto* url = field(upload, "callback_url");
  if (url == nullptr || trim(*url).empty()) return std::nullopt;
  const std::string value(trim(*url));
  // Refused here, rather than at the first delivery, so the client learns it while it can fix
  // it. A name that does not resolve now is refused too: it could not be checked.
  auto target = check_webhook_target(value, policy, resolve);
  if (!target) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("field 'callback_url': {}", target.error().message));
  }
  return value;
}

Result<Job> JobIntake::admit(const std::string& job_id, const Upload& upload,
                             const std::filesystem::path& part_file) {
  auto job = admit_checked(job_id, upload, part_file);
  std::error_code ec;
  std::filesystem::remove(part_file, ec);  // moved on success; on failure, nothing stays
  return job;
}

Result<Job> JobIntake::admit_checked(const std::string& job_id, const Upload& upload,
                                     const std::filesystem::path& part_file) {
  if (upload.size == 0) return fail(ErrorCode::kEmpty, "the uploaded file is empty");
  auto signature = has_pdf_signature(part_file);
  if (!signature) return std::unexpected(signature.error());
  if (!*signature) {
    return fail(ErrorCode::kNotPdf,
                "the uploaded file is not a PDF (its content does not start with %PDF-)");
  }
  auto options = read_options_from_fields(upload, limits_.defaults, limits_.vlm_available);
  if (!options) return std::unexpected(options.error());
  auto callback_url =
      callback_url_from_fields(upload, limits_.webhook_policy, limits_.resolve_host);
  if (!callback_url) return std::unexpected(callback_url.error());
  Priority priority = Priority::kNormal;
  if (const auto* asked = field(upload, "priority")) {
    const std::string value = lower(trim(*asked));
    if (!value.empty()) {
      auto p = parse_priority(value);
      if (!p) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("field 'priority': '{}' is not low, normal or high", value));
      }
      priority = *p;
    }
  }

  auto page_count = probe_(part_file);
  if (!page_count) return std::unexpected(page_count.error());
  std::string spec;
  if (const auto* pages = field(upload, "pages")) spec = std::string(trim(*pages));
  // Checked before the selection is built: a page tree may claim billions of pages.
  if (spec.empty() && *page_count > limits_.max_pages) {
    return fail(ErrorCode::kTooManyPages,
                fmt::format("the job has {} pages, over the limit of {} (DOCMILL_MAX_PAGES)",
                            *page_count, limits_.max_pages));
  }
  auto selected = parse_page_range(spec, *page_count, limits_.max_pages);
  if (!selected) {
    return fail(selected.error().code, fmt::format("field 'pages': {}", selected.error().message));
  }
  const int total = static_cast<int>(selected->size());
  if (total > limits_.max_pages) {
    return fail(ErrorCode::kTooManyPages,
                fmt::format("the job has {} pages, over the limit of {} (DOCMILL_MAX_PAGES)", total,
                            limits_.max_pages));
  }

  // The job's directory and its input in the blob store come before the queue's lock, so a
  // slow object store holds up no other upload. A worker on any node that claims a page finds
  // the input, since it is stored before the job exists.
  const auto dir = paths_.job_dir(job_id);
  RemoveJobFilesOnExit cleanup(blobs_, job_id);
  std::error_code ec;
  std::filesystem::create_directories(paths_.pages_dir(job_id), ec);
  if (!ec) std::filesystem::create_directories(paths_.images_dir(job_id), ec);
  if (!ec) std::filesystem::rename(part_file, paths_.input_pdf(job_id), ec);
  if (ec) {
    return fail(ErrorCode::kIo, fmt::format("cannot create the job's directory {}: {}",
                                            dir.string(), ec.message()));
  }
  if (auto stored = blobs_.put(paths_.input_pdf(job_id)); !stored) {
    return fail(stored.error().code,
                fmt::format("cannot store the upload: {}", stored.error().message));
  }

  std::lock_guard lock(admit_mu_);
  auto unfinished = store_.count_unfinished_jobs();
  if (!unfinished) return std::unexpected(unfinished.error());
  if (*unfinished >= limits_.max_queued_jobs) {
    return fail(ErrorCode::kQueueFull,
                fmt::format("the queue is full: {} jobs are waiting or running, the limit is {} "
                            "(DOCMILL_MAX_QUEUED_JOBS); try again later",
                            *unfinished, limits_.max_queued_jobs));
  }

  Job job;
  job.priority = priority;
  job.job_id = job_id;
  job.status = JobStatus::kPending;
  job.filename = display_name(upload.filename);
  job.total_pages = total;
  job.created_at = now_iso8601();
  job.updated_at = job.created_at;
  job.options = *options;
  job.callback_url = std::move(*callback_url);
  if (auto created = store_.create_job(job, *selected); !created) {
    return std::unexpected(created.error());
  }
  cleanup.release();
  return job;
}

}  // namespace docmill
