#include "support/sse_client.h"

namespace docmill::testing {

SseRead read_events(httplib::Client& client, const std::string& path,
                    const httplib::Headers& headers,
                    const std::function<bool(const SseEvent&)>& go_on) {
  SseRead out;
  std::string pending;  // text not yet parsed: an event is complete at its blank line
  bool hung_up = false;
  auto res = client.Get(
      path, headers,
      [&](const httplib::Response& r) {
        out.answered = true;
        out.status = r.status;
        out.headers = r.headers;
        return true;
      },
      [&](const char* data, size_t len) {
        out.body.append(data, len);
        if (out.status != 200) return true;
        pending.append(data, len);
        for (size_t end; (end = pending.find("\n\n")) != std::string::npos;) {
          const std::string block = pending.substr(0, end);
          pending.erase(0, end + 2);
          SseEvent e;
          bool any_field = false;
          size_t start = 0;
          while (start <= block.size()) {
            size_t nl = block.find('\n', start);
            if (nl == std::string::npos) nl = block.size();
            const std::string line = block.substr(start, nl - start);
            start = nl + 1;
            if (line.starts_with(":")) continue;
            const auto colon = line.find(':');
            const std::string field = line.substr(0, colon);
            std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
            if (value.starts_with(" ")) value.erase(0, 1);
            any_field = true;
            if (field == "id") e.id = value;
            if (field == "event") e.event = value;
            if (field == "data") e.data += (e.data.empty() ? "" : "\n") + value;
          }
          if (!any_field) {
            ++out.comments;
            continue;
          }
          out.events.push_back(e);
          if (go_on && !go_on(e)) {
            hung_up = true;
            return false;
          }
        }
        return true;
      });
  out.ended_by_server = static_cast<bool>(res) && !hung_up;
  return out;
}

}  // namespace docmill::testing
