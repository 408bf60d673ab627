#include "api/job_json.h"

namespace docmill {

nlohmann::json job_to_json(const Job& job) {
  return {
      {"job_id", job.job_id},
      {"status", to_string(job.status)},
      {"filename", job.filename},
      {"total_pages", job.total_pages},
      {"processed_pages", job.processed_pages},
      {"created_at", job.created_at},
      {"updated_at", job.updated_at},
      {"error_message",
       job.error_message ? nlohmann::json(*job.error_message) : nlohmann::json(nullptr)},
  };
}

}  // namespace docmill
