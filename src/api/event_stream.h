#pragma once
// Server-Sent Events for GET /result/{job_id}/events: the framing (WHATWG HTML, "Server-sent
// events") and what a job's stream says next, apart from the HTTP server so both can be tested
// alone. One `status` event per change of the job's status or processed_pages, its data the
// JSON /status answers; the stream ends after the completed or failed event, or with a
// `deleted` event when the job disappears.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "jobs/job.h"

namespace docmill {

// One event: "id: <id>\nevent: <event>\ndata: <line>\n...\n\n", a data line per line of `data`.
std::string sse_event(std::string_view event, std::uint64_t id, std::string_view data);
// A comment line, which EventSource ignores: keeps idle proxies from closing the connection.
std::string sse_comment(std::string_view text);

// The id of the event that reports `job`'s state: 3 * processed_pages + 1 while pending, + 2
// while processing, + 3 once completed or failed. A job's status only moves forward and its
// processed pages only grow, so every change gets a larger id, the same state always the same
// one, and the Last-Event-ID a browser sends back after a reconnect names the last state it saw.
std::uint64_t status_event_id(const Job& job);

// What one job's stream sends, reading after reading of the job.
class JobEventFeed {
 public:
  using Clock = std::chrono::steady_clock;
  // `keep_alive`: the longest silence before a comment line is sent.
  JobEventFeed(std::chrono::milliseconds keep_alive, Clock::time_point now);

  // The text to send after reading the job at `now` (nullopt: it no longer exists): its status
  // event, with `status_json(job)` as data, on the first reading and when status or
  // processed_pages changed; `event: deleted` (data {"job_id", "status": "deleted"}) when it is
  // gone; otherwise a keep-alive comment
  // when nothing was sent for `keep_alive`; otherwise nothing (empty).
  std::string next(const std::optional<Job>& job,
                   const std::function<std::string(const Job&)>& status_json,
                   Clock::time_point now);
  // The last event was given: completed, failed or deleted. The stream ends.
  bool ended() const { return ended_; }

 private:
  std::chrono::milliseconds keep_alive_;
  Clock::time_point last_sent_;
  std::optional<std::uint64_t> last_id_;  // of the last status event
  std::string job_id_;
  bool ended_ = false;
};

}  // namespace docmill
