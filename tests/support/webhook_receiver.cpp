#include "support/webhook_receiver.h"

#include <httplib.h>

#include <fmt/format.h>

namespace docmill::testing {

WebhookReceiver::WebhookReceiver() = default;

WebhookReceiver::~WebhookReceiver() {
  stop();
}

Status WebhookReceiver::start() {
  if (server_) return {};
  auto server = std::make_unique<httplib::Server>();
  server->set_keep_alive_timeout(1);
  Shared* shared = shared_.get();
  server->Post(".*", [shared](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(shared->mutex);
    shared->received.push_back({.path = req.path,
                                .body = req.body,
                                .content_type = req.get_header_value("Content-Type"),
                                .delivery = req.get_header_value("X-Docmill-Delivery"),
                                .timestamp = req.get_header_value("X-Docmill-Timestamp"),
                                .signature = req.get_header_value("X-Docmill-Signature"),
                                .user_agent = req.get_header_value("User-Agent")});
    res.status = 200;
    if (!shared->statuses.empty()) {
      res.status = shared->statuses.front();
      shared->statuses.pop_front();
    }
    res.set_content("{}", "application/json");
    shared->arrived.notify_all();
  });
  if (port_ == 0) {
    port_ = server->bind_to_any_port("127.0.0.1");
    if (port_ <= 0) {
      port_ = 0;
      return fail(ErrorCode::kIo, "webhook receiver: cannot bind a port on 127.0.0.1");
    }
  } else if (!server->bind_to_port("127.0.0.1", port_)) {
    return fail(ErrorCode::kIo, fmt::format("webhook receiver: cannot listen on port {}", port_));
  }
  server_ = std::move(server);
  listener_ = std::jthread([server = server_.get()] { server->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return {};
}

void WebhookReceiver::stop() {
  if (!server_) return;
  server_->stop();
  if (listener_.joinable()) listener_.join();
  server_.reset();
}

std::string WebhookReceiver::url(const std::string& path) const {
  return fmt::format("http://127.0.0.1:{}{}", port_, path);
}

void WebhookReceiver::push_status(int status) {
  std::lock_guard lock(shared_->mutex);
  shared_->statuses.push_back(status);
}

std::vector<ReceivedHook> WebhookReceiver::received() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->received;
}

bool WebhookReceiver::wait_for(size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(shared_->mutex);
  return shared_->arrived.wait_for(lock, timeout,
                                   [&] { return shared_->received.size() >= count; });
}

}  // namespace docmill::testing
