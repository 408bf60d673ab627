#pragma once
// Admission of an upload as a job: the rules an upload must pass (content is a PDF, readable,
// not encrypted, within the page and queue limits, valid options), then the move into the
// job's directory and the job's rows. On any rejection nothing of the upload is left.
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "api/upload_receiver.h"
#include "blobs/blob_store.h"
#include "blobs/job_paths.h"
#include "core/error.h"
#include "core/read_options.h"
#include "core/webhook_target.h"
#include "jobs/job.h"
#include "jobs/job_store.h"

namespace docmill {

// Opens an upload and returns its page count, or why it cannot be accepted. `serve` runs it in a
// child process (exec/upload_probe.h).
using UploadProbe = std::function<Result<int>(const std::filesystem::path& pdf)>;

struct IntakeLimits {
  int max_pages = 2000;
  int max_queued_jobs = 1000;
  ReadOptions defaults;        // what a job gets for the fields it does not send
  bool vlm_available = false;  // a model server is configured: `engine=vlm` may be asked for
  // Which callback_url an upload may give (DOCMILL_WEBHOOK_ALLOW_HOSTS), and how its host's
  // addresses are found for the check.
  WebhookPolicy webhook_policy{};
  HostResolver resolve_host = system_resolver();
};

// The upload's callback_url, checked (core/webhook_target.h); nullopt when it sends none.
// kInvalidArgument naming the field and why the URL is refused.
Result<std::optional<std::string>> callback_url_from_fields(const Upload& upload,
                                                            const WebhookPolicy& policy,
                                                            const HostResolver& resolve);

// The job's read options from the upload's form fields (lang, dpi, force_ocr, engine,
// ocr_existing) over the
// defaults. kInvalidArgument / kUnsupported naming the field.
Result<ReadOptions> read_options_from_fields(const Upload& upload, const ReadOptions& defaults,
                                             bool vlm_available = false);

class JobIntake {
 public:
  JobIntake(JobStore& store, BlobStore& blobs, const JobPaths& paths, IntakeLimits limits,
            UploadProbe probe)
      : store_(store),
        blobs_(blobs),
        paths_(paths),
        limits_(std::move(limits)),
        probe_(std::move(probe)) {}

  // Checks the streamed upload in `part_file` and, when it passes, makes it job `job_id`.
  // `part_file` is gone afterwards either way.
  Result<Job> admit(const std::string& job_id, const Upload& upload,
                    const std::filesystem::path& part_file);

 private:
  Result<Job> admit_checked(const std::string& job_id, const Upload& upload,
                            const std::filesystem::path& part_file);

  JobStore& store_;
  BlobStore& blobs_;
  const JobPaths& paths_;
  IntakeLimits limits_;
  UploadProbe probe_;
  // Serialises the queue-length check with the job's creation, so concurrent uploads cannot
  // all pass a check that only one of them fits.
  std::mutex admit_mu_;
};

}  // namespace docmill
