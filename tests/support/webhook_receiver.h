#pragma once
// A webhook receiver for tests: an HTTP server on 127.0.0.1 that records every POST it gets
// (its body and docmill's headers) and answers from a script of statuses (200 once the script
// is used up). It can be stopped and started again on the same port, to play a receiver that
// is down for a while.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"

namespace httplib {
class Server;
}

namespace docmill::testing {

struct ReceivedHook {
  std::string path;
  std::string body;
  std::string content_type;
  std::string delivery;   // X-Docmill-Delivery
  std::string timestamp;  // X-Docmill-Timestamp
  std::string signature;  // X-Docmill-Signature ("" when unsigned)
  std::string user_agent;
};

class WebhookReceiver {
 public:
  WebhookReceiver();
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  // Listens on a free port the first time, on the same port after a stop().
  Status start();
  void stop();
  int port() const { return port_; }
  std::string url(const std::string& path = "/hook") const;

  // The next POSTs are answered with these statuses, in order.
  void push_status(int status);
  std::vector<ReceivedHook> received() const;
  // Waits until `count` POSTs have arrived; false on timeout.
  bool wait_for(size_t count, std::chrono::milliseconds timeout) const;

 private:
  struct Shared {
    mutable std::mutex mutex;
    mutable std::condition_variable arrived;
    std::deque<int> statuses;
    std::vector<ReceivedHook> received;
  };
  std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
  std::unique_ptr<httplib::Server> server_;
  std::jthread listener_;
  int port_ = 0;
};

}  // namespace docmill::testing
