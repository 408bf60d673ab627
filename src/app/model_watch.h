#pragma once
// Whether the model server is ready, for /health's model_loaded: it answered /models and lists
// the configured model (any model, when none is configured). Asked every few seconds in the
// background, so /health answers at once and the service starts while the server is down.
#include <atomic>
#include <chrono>
#include <stop_token>
#include <thread>

#include "core/engine_settings.h"
#include "vlm/vlm_client.h"

namespace docmill {

class ModelWatch {
 public:
  explicit ModelWatch(const VlmSettings& vlm,
                      std::chrono::milliseconds every = std::chrono::seconds(5));
  ModelWatch(const ModelWatch&) = delete;
  ModelWatch& operator=(const ModelWatch&) = delete;

  void start();
  bool ready() const { return ready_.load(); }

 private:
  void check(std::stop_token stop);

  std::string model_;
  VlmClient client_;
  std::chrono::milliseconds every_;
  std::atomic<bool> ready_{false};
  bool said_down_ = false;  // logged once per outage, not every few seconds
  std::jthread thread_;     // last: stopped and joined first
};

}  // namespace docmill
