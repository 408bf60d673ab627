#include "api/event_stream.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include <fmt/format.h>

namespace docmill {

std::string sse_event(std::string_view event, std::uint64_t id, std::string_view data) {
  std::string out = fmt::format("id: {}\nevent: {}\n", id, event);
  // A line break inside data would end the field: each line goes in a data field of its own,
  // which the client joins again with "\n".
  size_t start = 0;
  while (true) {
    const size_t end = data.find('\n', start);
    out += "data: ";
    out += data.substr(start, end == std::string_view::npos ? end : end - start);
    out += '\n';
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  out += '\n';
  return out;
}

std::string sse_comment(std::string_view text) {
  return fmt::format(": {}\n\n", text);
}

std::uint64_t status_event_id(const Job& job) {
  std::uint64_t phase = 1;
  switch (job.status) {
    case JobStatus::kPending:
      phase = 1;
      break;
    case JobStatus::kProcessing:
      phase = 2;
      break;
    case JobStatus::kCompleted:
    case JobStatus::kFailed:
      phase = 3;
      break;
  }
  const auto pages = static_cast<std::uint64_t>(std::max(0, job.processed_pages));
  return 3 * pages + phase;
}

JobEventFeed::JobEventFeed(std::chrono::milliseconds keep_alive, Clock::time_point now)
    : keep_alive_(keep_alive), last_sent_(now) {}

std::string JobEventFeed::next(const std::optional<Job>& job,
                               const std::function<std::string(const Job&)>& status_json,
                               Clock::time_point now) {
  if (ended_) return {};
  std::string out;
  if (!job) {
    ended_ = true;
    const std::uint64_t id = last_id_.value_or(0) + 1;
    // DELETE's own answer.
    out =
        sse_event("deleted", id, nlohmann::json{{"job_id", job_id_}, {"status", "deleted"}}.dump());
  } else if (const auto id = status_event_id(*job); id != last_id_) {
    last_id_ = id;
    job_id_ = job->job_id;
    ended_ = job->status == JobStatus::kCompleted || job->status == JobStatus::kFailed;
    out = sse_event("status", id, status_json(*job));
  } else if (now - last_sent_ >= keep_alive_) {
    out = sse_comment("keep-alive");
  }
  if (!out.empty()) last_sent_ = now;
  return out;
}

}  // namespace docmill
