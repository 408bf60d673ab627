#pragma once
// One thread-safe client of an OpenAI-compatible model server (vLLM and the like), over
// libcurl: the model list, and one chat completion per page with the page image inline.
// Failures come back as values whose code says whether trying again can help:
//   kUnavailable     refused or dropped connection, 429, 5xx: retry with backoff;
//   kTimedOut        no answer within the timeout: retry once;
//   kTooLarge        400 because prompt + max_tokens exceed the context: retry smaller;
//   kInvalidArgument any other 4xx (a wrong model name, a refused API key): do not retry;
//   kCancelled       `stop` was requested: the request was aborted within a second;
//   kCorrupt         a 2xx whose body is not a chat completion.
// Messages never contain the API key.
#include <chrono>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/curl_handles.h"
#include "core/error.h"

namespace docmill {

struct VlmServer {
  std::string base_url;                // e.g. "http://gpu-host:8000/v1", no trailing slash
  std::optional<std::string> api_key;  // sent as "Authorization: Bearer <key>"
  std::chrono::seconds timeout{300};   // per request, connection included
};

struct VlmRequest {
  std::string model;
  std::string image_mime = "image/jpeg";  // "image/jpeg" or "image/png"
  std::string image;                      // the encoded image's bytes (base64 is the client's)
  std::string prompt;
  int max_tokens = 6000;
  double temperature = 0;
  // DeepSeek-OCR's extras: "skip_special_tokens": false and the n-gram logits processor's
  // "vllm_xargs" (ngram_size 30, window_size 90, <td> </td> whitelisted).
  bool deepseek_extras = true;
};

struct VlmReply {
  std::string content;        // choices[0].message.content
  std::string finish_reason;  // "stop", "length", ...
  int prompt_tokens = 0;
  int completion_tokens = 0;
};

class VlmClient {
 public:
  explicit VlmClient(VlmServer server);
  VlmClient(const VlmClient&) = delete;
  VlmClient& operator=(const VlmClient&) = delete;

  // GET {base}/models: the ids the server serves, in its order.
  Result<std::vector<std::string>> models(std::stop_token stop = {}) const;

  // POST {base}/chat/completions with the image as a data URL, then the prompt, in one user
  // message (the body VLM.md shows).
  Result<VlmReply> complete(const VlmRequest& request, std::stop_token stop) const;

  const VlmServer& server() const { return server_; }

 private:
  curl::GlobalInit curl_;
  VlmServer server_;
};

// The request body complete() sends, as JSON text: exposed for tests.
std::string vlm_request_body(const VlmRequest& request);

// `text` with every occurrence of `secret` replaced by "***" (nothing when it is empty).
std::string mask_secret(std::string text, const std::optional<std::string>& secret);

}  // namespace docmill
