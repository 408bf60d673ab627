#pragma once
// One page through the model, with the retries VLM.md calls for: a server that is down or busy
// (refused, 429, 5xx) is asked again with exponential backoff and jitter; a timeout once more;
// an answer cut in a repetition loop (finish_reason "length") once more at a higher
// temperature; a 400 for a context too long once more with a smaller image. What is left after
// that is an error the caller turns into a fallback or a failed page. Thread-safe: every worker
// thread of a process shares one engine and its client.
#include <functional>
#include <mutex>
#include <stop_token>
#include <string>

#include "core/engine_settings.h"
#include "core/error.h"
#include "layout/page_model.h"
#include "vlm/vlm_answer.h"
#include "vlm/vlm_client.h"

namespace docmill {

// The page image, encoded, as the model is sent it.
struct VlmImage {
  std::string bytes;
  std::string mime = "image/jpeg";
  int width = 0;
  int height = 0;
};

struct VlmRead {
  VlmAnswer answer;
  VlmPageStats stats;
  VlmImage image;  // the image the answer is about (its boxes are fractions of it)
};

class VlmEngine {
 public:
  explicit VlmEngine(VlmSettings settings);

  // The model pages are sent to: the configured one, else the first the server lists (asked
  // once, then remembered).
  Result<std::string> model(std::stop_token stop);

  // `image(scale)` makes the page image at `scale` times the configured size (1 first; smaller
  // after a context-length 400). Errors: kUnavailable (the server stayed down or busy through
  // the retries), kCancelled, or another code with a message saying why the model could not
  // read the page.
  using ImageFn = std::function<Result<VlmImage>(double scale)>;
  Result<VlmRead> read(const ImageFn& image, std::stop_token stop);

  const VlmSettings& settings() const { return settings_; }

 private:
  VlmSettings settings_;
  VlmClient client_;
  std::mutex mu_;
  std::string model_;  // guarded by mu_; resolved model name
};

// The prompt of each protocol (VLM.md).
std::string_view vlm_prompt(VlmProtocol protocol);

}  // namespace docmill
