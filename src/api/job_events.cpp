#include "api/job_events.h"

#include <spdlog/spdlog.h>

#include <memory>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "api/event_stream.h"
#include "api/http_errors.h"
#include "core/stop_wait.h"

namespace docmill {
namespace {

// What a client refused at the cap is told to wait: streams are long, a slot frees when one
// ends.
constexpr int kRetryAfterSeconds = 10;
// How long stopping waits for open streams to write their end (they do at once, unless their
// client has stopped reading).
constexpr std::chrono::milliseconds kStreamsEndWait{2'000};

// One open stream: its slot in the cap (given back when the stream is destroyed, which httplib
// does when the response ends however it ends) and where it stands.
struct OpenStream {
  OpenStream(Slots& slots, const Job& job, std::chrono::milliseconds keep_alive)
      : slots(slots),
        job_id(job.job_id),
        first(job),
        feed(keep_alive, JobEventFeed::Clock::now()) {}
  ~OpenStream() { slots.release(); }
  OpenStream(const OpenStream&) = delete;
  OpenStream& operator=(const OpenStream&) = delete;

  Slots& slots;
  std::string job_id;
  std::optional<Job> first;  // the reading the request was answered from, sent at once
  JobEventFeed feed;
  std::uint64_t seen_changes = 0;
};

}  // namespace

JobEventStreams::JobEventStreams(JobStore& store, const ChangeSignal* changes,
                                 EventStreamSettings settings,
                                 std::function<std::string(const Job&)> status_json)
    : store_(store),
      changes_(changes),
      settings_(settings),
      status_json_(std::move(status_json)),
      slots_(settings.max_streams) {}

void JobEventStreams::stop() {
  stopping_.request_stop();
  // Each stream writes its end on its own thread. The HTTP server's stop must wait for that:
  // once it has begun, httplib stops calling a provider between two events, and a stream it
  // leaves there is cut without its end. A client that stops reading holds its thread in a
  // write, so the wait is bounded.
  if (!slots_.wait_all_free(kStreamsEndWait)) {
    spdlog::warn("stopping: some event streams did not end within {} ms; they are cut",
                 kStreamsEndWait.count());
  }
}

void JobEventStreams::serve(const Job& job, httplib::Response& res) {
  if (stopping_.stop_requested()) {
    return send_error(res, Error{ErrorCode::kUnavailable, "the server is stopping"});
  }
  if (!slots_.try_acquire()) {
    res.set_header("Retry-After", std::to_string(kRetryAfterSeconds));
    return send_error(res,
                      Error{ErrorCode::kUnavailable,
                            fmt::format("{} event streams are open, the most this server allows "
                                        "(DOCMILL_MAX_EVENT_STREAMS); try again later, or poll "
                                        "/result/{}/status",
                                        settings_.max_streams, job.job_id)});
  }
  auto stream = std::make_shared<OpenStream>(slots_, job, settings_.keep_alive);
  if (changes_ != nullptr) stream->seen_changes = changes_->count();
  res.status = 200;
  res.set_header("Cache-Control", "no-cache");
  // nginx buffers responses unless told not to; events must go out as they happen.
  res.set_header("X-Accel-Buffering", "no");
  // httplib calls this again and again on the connection's thread until the stream ends: each
  // call waits at most one poll interval, so a stop is seen at once and the pool is never held.
  res.set_chunked_content_provider(
      "text/event-stream", [this, stream](size_t, httplib::DataSink& sink) {
        std::optional<Job> job;
        if (stream->first) {
          job = std::exchange(stream->first, std::nullopt);
        } else {
          const auto stop = stopping_.get_token();
          if (changes_ != nullptr) {
            stream->seen_changes = changes_->wait_past(stream->seen_changes, settings_.poll, stop);
          } else {
            wait_unless_stopped(stop, settings_.poll);
          }
          if (stop.stop_requested()) {
            sink.done();  // an orderly end: EventSource reconnects once the server is back
            return true;
          }
          auto read = store_.get_job(stream->job_id);
          if (!read) {
            // Not the job's fault, and perhaps passing: the stream goes on, reads again later.
            spdlog::warn("events of job {}: {}", stream->job_id, read.error().message);
            return true;
          }
          job = std::move(*read);
        }
        const std::string text = stream->feed.next(job, status_json_, JobEventFeed::Clock::now());
        // The client went away (or stopped reading): the stream ends, its slot with it.
        if (!text.empty() && !sink.write(text.data(), text.size())) return false;
        if (stream->feed.ended()) sink.done();
        return true;
      });
}

}  // namespace docmill
