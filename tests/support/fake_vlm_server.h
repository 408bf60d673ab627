#pragma once
// A fake OpenAI-compatible model server (what vLLM serving DeepSeek-OCR looks like from the
// outside), in-process, for tests and benchmarks. It lists models, answers chat completions
// from a script (a queue of replies, a responder built from the request, a default), can be
// slow, answer errors or drop the connection, and records every request it got, with the
// peak number in flight.
//
//   FakeVlmServer vlm;                        // 127.0.0.1, a random port
//   ASSERT_TRUE(vlm.start());
//   vlm.push_reply(FakeReply::error(429));   // the first completion is refused, the rest
//   VlmClient client({vlm.base_url()});      //   get the default answer
//   ...
//   EXPECT_EQ(vlm.completions()[0].image_width, 1224);
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace httplib {
class Server;
}

namespace docmill::testing {

// What the server does with one chat completion.
struct FakeReply {
  int status = 200;
  // The body of a non-2xx answer; empty: vLLM's error JSON around `error_message`.
  std::string error_body;
  std::string error_message;
  // A 2xx answer: a chat completion with these, unless `raw_body` replaces it whole.
  std::string content;
  std::string finish_reason = "stop";
  int prompt_tokens = 900;
  int completion_tokens = -1;  // -1: about one token per three bytes of content
  std::optional<std::string> raw_body;
  // Waited before answering: delay plus a uniform draw in [-jitter, +jitter], at least 0.
  // A stop() of the server cuts it short.
  std::chrono::milliseconds delay{0};
  std::chrono::milliseconds jitter{0};
  // Send the status line and headers of a 200, part of the body, then close the connection.
  bool drop_connection = false;

  // A normal answer.
  static FakeReply answer(std::string content, std::string finish_reason = "stop");
  // A vLLM-style error: {"object": "error", "message": ..., "type": ..., "code": status}.
  static FakeReply error(int status, std::string message = "");
  // vLLM's 400 for prompt + max_tokens past the 8192-token context.
  static FakeReply context_too_long();
  // A repetition loop cut at max_tokens: `finish_reason: "length"`, a good block, then the
  // same block over and over.
  static FakeReply loop(int repeats = 300);
  // Headers, then the connection breaks mid-answer.
  static FakeReply dropped();
  // The same reply after `delay` (± `jitter`).
  FakeReply after(std::chrono::milliseconds delay, std::chrono::milliseconds jitter = {}) const;
};

// One request as the server saw it.
struct FakeRequest {
  int index = 0;  // arrival order over all requests, from 0
  std::string method;
  std::string path;
  std::string authorization;  // the Authorization header as sent ("" when none)
  std::chrono::steady_clock::time_point arrived;
  // Chat completions only (the rest is left empty):
  nlohmann::json body;  // the parsed body, the image's data URL replaced by "<N base64 bytes>"
  std::string model;
  std::string prompt;  // the text part(s) of the user message
  std::optional<int> max_tokens;
  std::optional<double> temperature;
  bool skip_special_tokens_false = false;  // "skip_special_tokens": false was sent
  nlohmann::json vllm_xargs;               // null when not sent
  std::string image_mime;                  // from the data URL: "image/jpeg", "image/png"
  size_t image_bytes = 0;                  // decoded
  int image_width = 0;                     // read from the JPEG SOF or PNG IHDR; 0 if neither
  int image_height = 0;
};

struct FakeVlmOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: a random free port, picked at the first start() and kept for restarts
  std::vector<std::string> models{"deepseek-ai/DeepSeek-OCR"};
  // When set, /v1/* answer 401 unless "Authorization: Bearer <key>" (vLLM --api-key);
  // /health never asks.
  std::optional<std::string> api_key{};
  int threads = 128;  // httplib worker threads: the most requests served at once
  uint32_t seed = 1;  // for jitter
};

class FakeVlmServer {
 public:
  explicit FakeVlmServer(FakeVlmOptions options = {});
  ~FakeVlmServer();
  FakeVlmServer(const FakeVlmServer&) = delete;
  FakeVlmServer& operator=(const FakeVlmServer&) = delete;

  // Listens (again) on the port; kIo when it cannot bind. Records are kept across restarts.
  Status start();
  // Stops listening, cuts pending delays short and waits for the handlers to finish.
  void stop();
  bool running() const;

  int port() const { return port_; }
  std::string base_url() const;  // "http://127.0.0.1:PORT/v1"

  // The script. A completion takes the first queued reply; when the queue is empty, the
  // responder's (when one is set); else the default reply (a short DeepSeek-format page).
  void push_reply(FakeReply reply);
  void set_responder(std::function<FakeReply(const FakeRequest&)> responder);
  void set_default_reply(FakeReply reply);
  void set_models(std::vector<std::string> ids);

  // Every request (any path), in arrival order; completions() only the chat completions.
  std::vector<FakeRequest> requests() const;
  std::vector<FakeRequest> completions() const;
  size_t completion_count() const;
  int in_flight() const;       // chat completions being answered now
  int peak_in_flight() const;  // the most at once since the start (or reset_records())
  void reset_records();

 private:
  struct Shared;  // what handler threads touch, under one mutex
  std::shared_ptr<Shared> shared_;
  FakeVlmOptions options_;
  int port_ = 0;
  std::unique_ptr<httplib::Server> server_;
  std::jthread listener_;
};

// A loopback port nothing listens on now (bound, then released): for "the server is down at
// first, then comes up on this port".
int free_loopback_port();

// A built-in DeepSeek-format page: a title and one paragraph.
std::string default_deepseek_answer();

// The text of tests/fixtures/vlm/<name>; empty when it cannot be read.
std::string vlm_fixture(std::string_view name);

// Width and height of a JPEG (from its SOF marker) or PNG (IHDR); nullopt for anything else.
std::optional<std::pair<int, int>> image_dimensions(std::string_view bytes);

}  // namespace docmill::testing
