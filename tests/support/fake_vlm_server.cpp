#include "support/fake_vlm_server.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <utility>

#include <fmt/format.h>

#include "core/base64.h"

namespace docmill::testing {

namespace {

constexpr std::string_view kContextTooLong =
    "This model's maximum context length is 8192 tokens. However, you requested 9100 tokens "
    "(3100 in the messages, 6000 in the completion). Please reduce the length of the messages "
    "or completion.";

// vLLM's error body (vllm/entrypoints/openai/protocol.py ErrorResponse).
std::string vllm_error_body(int status, std::string_view message) {
  const char* type = status == 400   ? "BadRequestError"
                     : status == 404 ? "NotFoundError"
                     : status == 429 ? "RateLimitError"
                     : status >= 500 ? "InternalServerError"
                                     : "Error";
  return nlohmann::json{{"object", "error"},
                        {"message", message},
                        {"type", type},
                        {"param", nullptr},
                        {"code", status}}
      .dump();
}

std::string chat_completion_body(int index, const std::string& model, const FakeReply& reply) {
  const int completion_tokens = reply.completion_tokens >= 0
                                    ? reply.completion_tokens
                                    : static_cast<int>(reply.content.size() / 3);
  const nlohmann::json body = {{"id", fmt::format("chatcmpl-fake-{}", index)},
                               {"object", "chat.completion"},
                               {"created", 1700000000},
                               {"model", model},
                               {"choices",
                                {{{"index", 0},
                                  {"message", {{"role", "assistant"}, {"content", reply.content}}},
                                  {"finish_reason", reply.finish_reason}}}},
                               {"usage",
                                {{"prompt_tokens", reply.prompt_tokens},
                                 {"completion_tokens", completion_tokens},
                                 {"total_tokens", reply.prompt_tokens + completion_tokens}}}};
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Fills the chat-completion fields of `request` from its body. The image's data URL is decoded
// for its size, then left out of the record (a page is hundreds of KiB).
void read_completion(nlohmann::json body, FakeRequest& request) {
  if (!body.is_object()) return;
  if (body.contains("model") && body["model"].is_string()) request.model = body["model"];
  if (body.contains("max_tokens") && body["max_tokens"].is_number_integer()) {
    request.max_tokens = body["max_tokens"].get<int>();
  }
  if (body.contains("temperature") && body["temperature"].is_number()) {
    request.temperature = body["temperature"].get<double>();
  }
  request.skip_special_tokens_false =
      body.contains("skip_special_tokens") && body["skip_special_tokens"] == false;
  if (body.contains("vllm_xargs")) request.vllm_xargs = body["vllm_xargs"];
  if (body.contains("messages") && body["messages"].is_array()) {
    for (auto& message : body["messages"]) {
      if (!message.is_object() || !message.contains("content")) continue;
      auto& content = message["content"];
      if (content.is_string()) {
        request.prompt += content.get<std::string>();
        continue;
      }
      if (!content.is_array()) continue;
      for (auto& part : content) {
        if (!part.is_object()) continue;
        if (part.value("type", "") == "text" && part.contains("text") && part["text"].is_string()) {
          request.prompt += part["text"].get<std::string>();
        }
        if (part.value("type", "") != "image_url" || !part.contains("image_url") ||
            !part["image_url"].is_object() || !part["image_url"].contains("url") ||
            !part["image_url"]["url"].is_string()) {
          continue;
        }
        auto& url = part["image_url"]["url"];
        const std::string text = url.get<std::string>();
        constexpr std::string_view kMarker = ";base64,";
        const size_t marker = text.find(kMarker);
        if (!text.starts_with("data:") || marker == std::string::npos) continue;
        request.image_mime = text.substr(5, marker - 5);
        const std::string_view data = std::string_view(text).substr(marker + kMarker.size());
        if (const auto bytes = base64_decode(data)) {
          request.image_bytes = bytes->size();
          if (const auto size = image_dimensions(*bytes)) {
            request.image_width = size->first;
            request.image_height = size->second;
          }
        }
        url = fmt::format("data:{};base64,<{} base64 bytes>", request.image_mime, data.size());
      }
    }
  }
  request.body = std::move(body);
}

}  // namespace

FakeReply FakeReply::answer(std::string content, std::string finish_reason) {
  FakeReply reply;
  reply.content = std::move(content);
  reply.finish_reason = std::move(finish_reason);
  return reply;
}

FakeReply FakeReply::error(int status, std::string message) {
  FakeReply reply;
  reply.status = status;
  reply.error_message =
      message.empty() ? fmt::format("fake server error {}", status) : std::move(message);
  return reply;
}

FakeReply FakeReply::context_too_long() {
  return error(400, std::string(kContextTooLong));
}

FakeReply FakeReply::loop(int repeats) {
  std::string content =
      "<|ref|>title<|/ref|><|det|>[[100, 60, 900, 100]]<|/det|>\n# A page the model loops on\n\n"
      "<|ref|>text<|/ref|><|det|>[[100, 120, 900, 160]]<|/det|>\n";
  for (int i = 0; i < repeats; ++i) content += "The same sentence again and again. ";
  FakeReply reply = answer(std::move(content), "length");
  reply.completion_tokens = 6000;
  return reply;
}

FakeReply FakeReply::dropped() {
  FakeReply reply;
  reply.drop_connection = true;
  return reply;
}

FakeReply FakeReply::after(std::chrono::milliseconds delay_,
                           std::chrono::milliseconds jitter_) const {
  FakeReply reply = *this;
  reply.delay = delay_;
  reply.jitter = jitter_;
  return reply;
}

struct FakeVlmServer::Shared {
  mutable std::mutex mutex;
  std::condition_variable stopping_cv;
  bool stopping = false;
  std::vector<std::string> models;
  std::optional<std::string> api_key;
  std::deque<FakeReply> queue;
  std::function<FakeReply(const FakeRequest&)> responder;
  FakeReply default_reply;
  std::vector<FakeRequest> records;
  int next_index = 0;
  int in_flight = 0;
  int peak = 0;
  std::mt19937 rng;

  // Records the request's common fields; returns false (after answering 401) when the API key
  // is missing or wrong.
  bool admit(const httplib::Request& req, httplib::Response& res, FakeRequest& request) {
    request.method = req.method;
    request.path = req.path;
    request.authorization = req.get_header_value("Authorization");
    request.arrived = std::chrono::steady_clock::now();
    std::optional<std::string> key;
    {
      std::lock_guard lock(mutex);
      request.index = next_index++;
      key = api_key;
    }
    if (key && request.authorization != "Bearer " + *key) {
      {
        std::lock_guard lock(mutex);
        records.push_back(request);
      }
      res.status = 401;
      res.set_content(R"({"error": "Unauthorized"})", "application/json");
      return false;
    }
    return true;
  }

  // Waits `reply`'s delay (with jitter); false when the server is stopping.
  bool wait(const FakeReply& reply) {
    std::unique_lock lock(mutex);
    auto delay = reply.delay;
    if (reply.jitter.count() > 0) {
      std::uniform_int_distribution<long> draw(-reply.jitter.count(), reply.jitter.count());
      delay += std::chrono::milliseconds(draw(rng));
    }
    if (delay.count() <= 0) return !stopping;
    return !stopping_cv.wait_for(lock, delay, [&] { return stopping; });
  }

  void completion(const httplib::Request& req, httplib::Response& res) {
    FakeRequest request;
    if (!admit(req, res, request)) return;
    auto body = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
    const bool parsed = !body.is_discarded();
    read_completion(parsed ? std::move(body) : nlohmann::json(), request);
    std::function<FakeReply(const FakeRequest&)> respond;
    std::optional<FakeReply> queued;
    std::string model;
    {
      std::lock_guard lock(mutex);
      records.push_back(request);
      peak = std::max(peak, ++in_flight);
      if (!queue.empty()) {
        queued = std::move(queue.front());
        queue.pop_front();
      } else {
        respond = responder;
      }
      model = !request.model.empty() ? request.model
              : models.empty()       ? std::string("fake")
                                     : models.front();
    }
    struct Leave {
      Shared* shared;
      ~Leave() {
        std::lock_guard lock(shared->mutex);
        --shared->in_flight;
      }
    } leave{this};

    if (!parsed) {
      res.status = 400;
      res.set_content(vllm_error_body(400, "the request body is not JSON"), "application/json");
      return;
    }
    FakeReply reply;
    if (queued) {
      reply = std::move(*queued);
    } else if (respond) {
      reply = respond(request);
    } else {
      std::lock_guard lock(mutex);
      reply = default_reply;
    }
    if (!wait(reply)) {
      res.status = 503;
      res.set_content(vllm_error_body(503, "the fake server is stopping"), "application/json");
      return;
    }
    if (reply.drop_connection) {
      // The headers of a 200 go out, then a piece of the body, then the provider fails: httplib
      // closes the connection without the closing chunk, so the client sees a broken transfer.
      res.set_chunked_content_provider("application/json", [](size_t, httplib::DataSink& sink) {
        sink.write(R"({"id": "chatcmpl-)", 17);
        return false;
      });
      return;
    }
    res.status = reply.status;
    if (reply.status < 200 || reply.status >= 300) {
      res.set_content(reply.error_body.empty() ? vllm_error_body(reply.status, reply.error_message)
                                               : reply.error_body,
                      "application/json");
      return;
    }
    res.set_content(
        reply.raw_body ? *reply.raw_body : chat_completion_body(request.index, model, reply),
        "application/json");
  }

  void list_models(const httplib::Request& req, httplib::Response& res) {
    FakeRequest request;
    if (!admit(req, res, request)) return;
    nlohmann::json data = nlohmann::json::array();
    {
      std::lock_guard lock(mutex);
      records.push_back(request);
      for (const auto& id : models) {
        data.push_back({{"id", id},
                        {"object", "model"},
                        {"created", 1700000000},
                        {"owned_by", "vllm"},
                        {"max_model_len", 8192}});
      }
    }
    res.set_content(nlohmann::json{{"object", "list"}, {"data", data}}.dump(), "application/json");
  }
};

FakeVlmServer::FakeVlmServer(FakeVlmOptions options)
    : shared_(std::make_shared<Shared>()), options_(std::move(options)), port_(options_.port) {
  shared_->models = options_.models;
  shared_->api_key = options_.api_key;
  shared_->default_reply = FakeReply::answer(default_deepseek_answer());
  shared_->rng.seed(options_.seed);
}

FakeVlmServer::~FakeVlmServer() {
  stop();
}

Status FakeVlmServer::start() {
  if (running()) return {};
  {
    std::lock_guard lock(shared_->mutex);
    shared_->stopping = false;
  }
  auto server = std::make_unique<httplib::Server>();
  const int threads = options_.threads;
  server->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // Idle keep-alive connections hold a worker thread; a short wait lets stop() return soon.
  server->set_keep_alive_timeout(1);
  Shared* shared = shared_.get();  // the server (and its handlers) never outlive shared_
  server->Post("/v1/chat/completions",
               [shared](const httplib::Request& req, httplib::Response& res) {
                 shared->completion(req, res);
               });
  server->Get("/v1/models", [shared](const httplib::Request& req, httplib::Response& res) {
    shared->list_models(req, res);
  });
  server->Get("/health", [](const httplib::Request&, httplib::Response& res) { res.status = 200; });
  // httplib listens with a backlog of 5: more connections at once than that have their SYNs
  // dropped and retried after 1, 3, 7, 15 s. Listen again on its socket with a real backlog.
  int listening = -1;
  server->set_socket_options([&listening](socket_t sock) {
    httplib::default_socket_options(sock);
    listening = sock;
  });
  if (port_ == 0) {
    port_ = server->bind_to_any_port(options_.host);
    if (port_ <= 0) {
      port_ = 0;
      return fail(ErrorCode::kIo, "fake VLM server: cannot bind a port on " + options_.host);
    }
  } else if (!server->bind_to_port(options_.host, port_)) {
    return fail(ErrorCode::kIo,
                fmt::format("fake VLM server: cannot listen on {}:{}", options_.host, port_));
  }
  if (listening >= 0) ::listen(listening, SOMAXCONN);
  server_ = std::move(server);
  listener_ = std::jthread([server = server_.get()] { server->listen_after_bind(); });
  // httplib's stop() only reaches a server that is already running.
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return {};
}

void FakeVlmServer::stop() {
  if (!server_) return;
  {
    std::lock_guard lock(shared_->mutex);
    shared_->stopping = true;
  }
  shared_->stopping_cv.notify_all();
  server_->stop();
  if (listener_.joinable()) listener_.join();
  server_.reset();
}

bool FakeVlmServer::running() const {
  return server_ && server_->is_running();
}

std::string FakeVlmServer::base_url() const {
  return fmt::format("http://{}:{}/v1", options_.host, port_);
}

void FakeVlmServer::push_reply(FakeReply reply) {
  std::lock_guard lock(shared_->mutex);
  shared_->queue.push_back(std::move(reply));
}

void FakeVlmServer::set_responder(std::function<FakeReply(const FakeRequest&)> responder) {
  std::lock_guard lock(shared_->mutex);
  shared_->responder = std::move(responder);
}

void FakeVlmServer::set_default_reply(FakeReply reply) {
  std::lock_guard lock(shared_->mutex);
  shared_->default_reply = std::move(reply);
}

void FakeVlmServer::set_models(std::vector<std::string> ids) {
  std::lock_guard lock(shared_->mutex);
  shared_->models = std::move(ids);
}

std::vector<FakeRequest> FakeVlmServer::requests() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->records;
}

std::vector<FakeRequest> FakeVlmServer::completions() const {
  std::lock_guard lock(shared_->mutex);
  std::vector<FakeRequest> out;
  for (const auto& r : shared_->records) {
    if (r.path == "/v1/chat/completions") out.push_back(r);
  }
  return out;
}

size_t FakeVlmServer::completion_count() const {
  std::lock_guard lock(shared_->mutex);
  return std::ranges::count(shared_->records, std::string("/v1/chat/completions"),
                            &FakeRequest::path);
}

int FakeVlmServer::in_flight() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->in_flight;
}

int FakeVlmServer::peak_in_flight() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->peak;
}

void FakeVlmServer::reset_records() {
  std::lock_guard lock(shared_->mutex);
  shared_->records.clear();
  shared_->peak = shared_->in_flight;
}

int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

std::string default_deepseek_answer() {
  return "<|ref|>title<|/ref|><|det|>[[100, 60, 900, 100]]<|/det|>\n"
         "# A page read by the fake model server\n\n"
         "<|ref|>text<|/ref|><|det|>[[100, 120, 900, 260]]<|/det|>\n"
         "This paragraph stands for what DeepSeek-OCR reads on a page: a few sentences of body "
         "text, with inline math such as \\(x^2 + y^2 = r^2\\), in the model's reading order.\n";
}

std::string vlm_fixture(std::string_view name) {
  std::ifstream in(std::string(DOCMILL_VLM_FIXTURES_DIR) + "/" + std::string(name),
                   std::ios::binary);
  if (!in) return {};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<std::pair<int, int>> image_dimensions(std::string_view bytes) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(bytes[i]); };
  const auto be16 = [&](size_t i) { return byte(i) << 8 | byte(i + 1); };
  if (bytes.size() >= 24 && bytes.starts_with("\x89PNG\r\n\x1a\n") &&
      bytes.substr(12, 4) == "IHDR") {
    const auto be32 = [&](size_t i) {
      return static_cast<int>(static_cast<uint32_t>(be16(i)) << 16 | be16(i + 2));
    };
    return std::pair{be32(16), be32(20)};
  }
  if (bytes.size() < 4 || byte(0) != 0xFF || byte(1) != 0xD8) return std::nullopt;
  size_t i = 2;
  while (i + 4 <= bytes.size()) {
    if (byte(i) != 0xFF) return std::nullopt;
    const int marker = byte(i + 1);
    if (marker == 0xFF) {  // fill byte
      ++i;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {  // no length field
      i += 2;
      continue;
    }
    if (marker == 0xD9 || marker == 0xDA) return std::nullopt;  // no frame header before data
    const bool frame_header =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (frame_header) {
      if (i + 9 > bytes.size()) return std::nullopt;
      return std::pair{be16(i + 7), be16(i + 5)};
    }
    i += 2 + static_cast<size_t>(be16(i + 2));
  }
  return std::nullopt;
}

}  // namespace docmill::testing
