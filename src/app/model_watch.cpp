#include "app/model_watch.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "core/stop_wait.h"

namespace docmill {
namespace {

// A readiness check must not hang for the page request timeout.
constexpr std::chrono::seconds kCheckTimeout{5};

}  // namespace

ModelWatch::ModelWatch(const VlmSettings& vlm, std::chrono::milliseconds every)
    : model_(vlm.model), client_(VlmServer{vlm.url, vlm.api_key, kCheckTimeout}), every_(every) {}

void ModelWatch::start() {
  thread_ = std::jthread([this](std::stop_token stop) {
    do {
      check(stop);
    } while (wait_unless_stopped(stop, every_));
  });
}

void ModelWatch::check(std::stop_token stop) {
  auto models = client_.models(stop);
  bool ok = false;
  std::string why;
  if (!models) {
    why = models.error().message;
  } else if (model_.empty()) {
    ok = !models->empty();
    if (!ok) why = "it lists no model";
  } else {
    ok = std::ranges::find(*models, model_) != models->end();
    if (!ok) why = "it does not list the model " + model_;
  }
  const bool was = ready_.exchange(ok);
  if (ok && !was) {
    spdlog::info("the model server {} is ready", client_.server().base_url);
    said_down_ = false;
  } else if (!ok && (was || !said_down_)) {
    spdlog::warn("the model server is not ready: {}; pages for it wait or fall back", why);
    said_down_ = true;
  }
}

}  // namespace docmill
