#pragma once
// GET /result/{job_id}/events on the HTTP server: each open stream runs as a chunked content
// provider on its connection's thread, reading the job's row from the store whenever a worker
// starts or ends a unit (ChangeSignal) and at least every poll interval, and writing what
// JobEventFeed says. Each holds one thread of the server's pool while open, so they are capped:
// beyond the cap a request gets 503 with Retry-After. A stream's slot is freed however it ends
// (the last event, a write that fails because the client went away, the server stopping).
#include <httplib.h>

#include <chrono>
#include <functional>
#include <stop_token>
#include <string>

#include "core/change_signal.h"
#include "core/slots.h"
#include "jobs/job_store.h"

namespace docmill {

struct EventStreamSettings {
  int max_streams = 64;
  // The longest a stream goes without reading the job (page progress is written by worker
  // processes; `changes` only wakes it sooner).
  std::chrono::milliseconds poll{500};
  // The longest a stream stays silent: a comment line then keeps idle proxies from closing it.
  std::chrono::milliseconds keep_alive{15'000};
};

class JobEventStreams {
 public:
  // `status_json`: the JSON text /status answers for a job; `changes` may be null (poll only).
  JobEventStreams(JobStore& store, const ChangeSignal* changes, EventStreamSettings settings,
                  std::function<std::string(const Job&)> status_json);
  JobEventStreams(const JobEventStreams&) = delete;
  JobEventStreams& operator=(const JobEventStreams&) = delete;

  // Answers the request for `job`'s events (the job was found): the stream, or 503 at the cap.
  void serve(const Job& job, httplib::Response& res);
  // Ends every open stream and refuses new ones; returns once the streams have written their
  // end (or after a bounded wait). The server is stopping, and its stop waits for the threads
  // the streams hold.
  void stop();

 private:
  JobStore& store_;
  const ChangeSignal* changes_;
  EventStreamSettings settings_;
  std::function<std::string(const Job&)> status_json_;
  Slots slots_;
  std::stop_source stopping_;
};

}  // namespace docmill
