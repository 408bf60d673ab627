#pragma once
// One log line per request: method, path (never the query string, never a header, so a token
// cannot leak), status and milliseconds. httplib runs a request's routing and its logger on
// the same thread, one request at a time per connection, so the start time is kept by the
// address of the request object between the two.
#include <httplib.h>

#include <chrono>
#include <map>
#include <mutex>

namespace docmill {

class RequestLog {
 public:
  void started(const httplib::Request& req);
  void finished(const httplib::Request& req, const httplib::Response& res);

 private:
  std::mutex mu_;
  std::map<const httplib::Request*, std::chrono::steady_clock::time_point> started_;
};

}  // namespace docmill
