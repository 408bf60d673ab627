#include "api/job_json.h"

#include <algorithm>

namespace docmill {

namespace {

// Seconds until the job is done at this server's recent pace: the pages ahead of it, then its
// own, at the pace of their read methods, which it shares with the jobs running alongside
// (fair share).
std::optional<double> seconds_left(const Job& job, const QueueStanding& s) {
  if (!s.seconds_per_page) return std::nullopt;
  if (job.status == JobStatus::kCompleted || job.status == JobStatus::kFailed) return 0.0;
  const int own = std::max(0, job.total_pages - job.processed_pages);
  const int sharing = std::max(1, s.running_alongside + (s.queue_position ? 1 : 0));
  const double own_pace = s.own_seconds_per_page.value_or(*s.seconds_per_page);
  const double ahead = s.queue_position ? *s.seconds_per_page * s.pages_ahead : 0.0;
  return ahead + own_pace * own * sharing;
}

}  // namespace

nlohmann::json job_to_json(const Job& job, const std::optional<QueueStanding>& standing) {
  nlohmann::json j = {
      {"job_id", job.job_id},
      {"status", to_string(job.status)},
      {"filename", job.filename},
      {"total_pages", job.total_pages},
      {"processed_pages", job.processed_pages},
      {"created_at", job.created_at},
      {"updated_at", job.updated_at},
      {"error_message",
       job.error_message ? nlohmann::json(*job.error_message) : nlohmann::json(nullptr)},
      {"priority", to_string(job.priority)},
  };
  const auto or_null = [](const auto& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
  };
  j["queue_position"] = standing ? or_null(standing->queue_position) : nlohmann::json(nullptr);
  j["pages_ahead"] = standing ? nlohmann::json(standing->pages_ahead) : nlohmann::json(nullptr);
  j["estimated_seconds_remaining"] =
      standing ? or_null(seconds_left(job, *standing)) : nlohmann::json(nullptr);
  return j;
}

}  // namespace docmill
