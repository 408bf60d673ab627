#include "vlm/vlm_engine.h"

#include <random>
#include <thread>

#include <fmt/format.h>

#include "core/stop_wait.h"

namespace docmill {
namespace {

// Backoff for a server that is down or busy: 1, 2, 4, 8, 16 s (each +-25%), then give up.
// About half a minute covers a restart of the model server's front end, not a model load; a
// unit that still finds it down is put off (or falls back) by the caller.
constexpr int kUnavailableRetries = 5;
constexpr auto kFirstBackoff = std::chrono::milliseconds(1000);
// A smaller image after a context-length 400: the prompt's image tokens shrink with its area.
constexpr double kSmallerImage = 0.7;

std::chrono::milliseconds jittered(std::chrono::milliseconds d) {
  thread_local std::minstd_rand rng(static_cast<unsigned>(
      std::hash<std::thread::id>{}(std::this_thread::get_id()) ^
      static_cast<size_t>(std::chrono::steady_clock::now().time_since_epoch().count())));
  std::uniform_real_distribution<double> f(0.75, 1.25);
  return std::chrono::milliseconds(static_cast<long long>(static_cast<double>(d.count()) * f(rng)));
}

}  // namespace

std::string_view vlm_prompt(VlmProtocol protocol) {
  return protocol == VlmProtocol::kDeepseek ? "<|grounding|>Convert the document to markdown."
                                            : "Convert this page to markdown.";
}

VlmEngine::VlmEngine(VlmSettings settings)
    : settings_(std::move(settings)),
      client_(VlmServer{settings_.url, settings_.api_key, settings_.timeout}) {}

Result<std::string> VlmEngine::model(std::stop_token stop) {
  {
    std::lock_guard lock(mu_);
    if (!settings_.model.empty()) return settings_.model;
    if (!model_.empty()) return model_;
  }
  auto models = client_.models(stop);
  if (!models) return std::unexpected(models.error());
  if (models->empty()) {
    return fail(ErrorCode::kUnavailable,
                fmt::format("the model server {} lists no model yet", settings_.url));
  }
  std::lock_guard lock(mu_);
  model_ = models->front();
  return model_;
}

Result<VlmRead> VlmEngine::read(const ImageFn& image, std::stop_token stop) {
  VlmRead read;
  double scale = 1.0;
  double temperature = 0.0;
  int unavailable = 0;
  bool timed_out_once = false;
  bool smaller_once = false;
  bool hotter_once = false;
  bool corrupt_once = false;
  auto backoff = kFirstBackoff;

  auto picture = image(scale);
  if (!picture) return std::unexpected(picture.error());
  for (int request = 0;; ++request) {
    read.stats.retries = request;
    auto model = this->model(stop);
    Result<VlmReply> reply = model ? Result<VlmReply>(std::unexpected(Error{}))
                                   : Result<VlmReply>(std::unexpected(model.error()));
    if (model) {
      read.stats.model = *model;
      VlmRequest req;
      req.model = *model;
      req.image_mime = picture->mime;
      req.image = picture->bytes;
      req.prompt = std::string(vlm_prompt(settings_.protocol));
      req.max_tokens = settings_.max_tokens;
      req.temperature = temperature;
      req.deepseek_extras = settings_.protocol == VlmProtocol::kDeepseek;
      reply = client_.complete(req, stop);
    }
    read.stats.image_width = picture->width;
    read.stats.image_height = picture->height;
    if (reply) {
      read.stats.finish_reason = reply->finish_reason;
      read.stats.prompt_tokens = reply->prompt_tokens;
      read.stats.completion_tokens = reply->completion_tokens;
      if (reply->finish_reason == "length") {
        if (!hotter_once) {
          hotter_once = true;
          temperature = settings_.retry_temperature;
          continue;
        }
        return fail(ErrorCode::kOcr,
                    fmt::format("the model's answer was cut at {} tokens twice (a repetition "
                                "loop; the second try was at temperature {:g})",
                                settings_.max_tokens, temperature));
      }
      read.answer = settings_.protocol == VlmProtocol::kDeepseek
                        ? parse_deepseek_answer(reply->content)
                        : parse_markdown_answer(reply->content);
      read.image = std::move(*picture);
      return read;
    }
    const Error& e = reply.error();
    switch (e.code) {
      case ErrorCode::kCancelled:
        return std::unexpected(e);
      case ErrorCode::kUnavailable:
        if (unavailable++ >= kUnavailableRetries) {
          return fail(ErrorCode::kUnavailable,
                      fmt::format("{} (after {} tries)", e.message, unavailable));
        }
        if (!wait_unless_stopped(stop, jittered(backoff)))
          return fail(ErrorCode::kCancelled, "stopped");
        backoff *= 2;
        continue;
      case ErrorCode::kTimedOut:
        if (timed_out_once) return std::unexpected(e);
        timed_out_once = true;
        continue;
      case ErrorCode::kTooLarge: {
        if (smaller_once) return std::unexpected(e);
        smaller_once = true;
        scale = kSmallerImage;
        picture = image(scale);
        if (!picture) return std::unexpected(picture.error());
        continue;
      }
      case ErrorCode::kCorrupt:
        if (corrupt_once) return std::unexpected(e);
        corrupt_once = true;
        continue;
      default:
        return std::unexpected(e);
    }
  }
}

}  // namespace docmill
