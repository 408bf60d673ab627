#pragma once
// Reads a Server-Sent Events stream the way EventSource does (fields id, event, data; comment
// lines ignored), for end-to-end tests of GET /result/{job_id}/events.
#include <httplib.h>

#include <functional>
#include <string>
#include <vector>

namespace docmill::testing {

struct SseEvent {
  std::string id;
  std::string event;
  std::string data;
};

struct SseRead {
  bool answered = false;  // a response came (any status)
  int status = 0;
  httplib::Headers headers;
  std::string body;  // the raw body (a JSON error when status is not 200)
  std::vector<SseEvent> events;
  int comments = 0;
  // The server ended the stream itself (neither a client cancel nor a connection error).
  bool ended_by_server = false;
};

// GETs `path` with `headers` and reads events until the server ends the stream, or `go_on`
// (called after each event) returns false, which hangs up. The client's read timeout applies
// between chunks.
SseRead read_events(httplib::Client& client, const std::string& path,
                    const httplib::Headers& headers = {},
                    const std::function<bool(const SseEvent&)>& go_on = {});

}  // namespace docmill::testing
