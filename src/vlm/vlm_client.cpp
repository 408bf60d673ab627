#include "vlm/vlm_client.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/base64.h"
#include "core/curl_handles.h"
#include "core/utf8.h"

namespace docmill {
namespace {

// A model server's answer is a page of markdown (tens of KiB); anything far larger is not an
// answer we can use, and must not be buffered without bound.
constexpr size_t kMaxAnswerBytes = 64u << 20;
// A server that does not accept the connection within this time is down or unreachable: that is
// "unavailable" (retry later), not a slow answer.
constexpr long kMaxConnectMs = 10'000;
// How long curl_multi_poll sleeps at most before the stop token is looked at again. The stop
// callback wakes it at once; this only bounds the wait should a wakeup be lost.
constexpr int kPollMs = 200;
// How much of a server's error message goes into ours.
constexpr size_t kMaxQuotedBytes = 300;

using curl::Easy;
using curl::Multi;
using curl::Slist;

struct Received {
  std::string body;
  bool overflow = false;
};

size_t write_body(char* data, size_t size, size_t count, void* user) {
  auto* received = static_cast<Received*>(user);
  const size_t n = size * count;
  if (received->body.size() + n > kMaxAnswerBytes) {
    received->overflow = true;
    return 0;  // curl aborts the transfer with CURLE_WRITE_ERROR
  }
  received->body.append(data, n);
  return n;
}

// base_url without "user:password@", for messages.
std::string url_for_messages(const std::string& url) {
  const size_t scheme = url.find("://");
  const size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  const size_t end = std::min(url.find_first_of("/?#", start), url.size());
  const size_t at = url.rfind('@', end - 1);
  if (at == std::string::npos || at < start || end == start) return url;
  return url.substr(0, start) + url.substr(at + 1);
}

std::string lower(std::string s) {
  std::ranges::transform(s, s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// The human part of an error body: OpenAI's {"error": {"message": ...}}, vLLM's
// {"message": ...} or {"error": "..."}, else the text itself; cut and made valid UTF-8.
std::string error_detail(const std::string& body) {
  std::string text = body;
  const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_object()) {
    const auto error = json.find("error");
    const auto message = json.find("message");
    if (message != json.end() && message->is_string()) {
      text = message->get<std::string>();
    } else if (error != json.end() && error->is_string()) {
      text = error->get<std::string>();
    } else if (error != json.end() && error->is_object() && error->contains("message") &&
               (*error)["message"].is_string()) {
      text = (*error)["message"].get<std::string>();
    }
  }
  std::ranges::replace(text, '\n', ' ');
  std::ranges::replace(text, '\r', ' ');
  if (text.size() > kMaxQuotedBytes) text = text.substr(0, kMaxQuotedBytes) + "…";
  return valid_utf8(text);
}

// vLLM's 400 for prompt + max_tokens past the context: "This model's maximum context length is
// 8192 tokens. However, you requested ..." (older: "... maximum model length ..."; others say
// the input is "too long").
bool speaks_of_context_length(const std::string& body) {
  const std::string text = lower(body);
  for (const char* needle : {"context", "maximum model length", "too long", "max_model_len"}) {
    if (text.find(needle) != std::string::npos) return true;
  }
  return false;
}

// What one HTTP exchange brought back.
struct Exchange {
  long status = 0;
  std::string body;
  curl_off_t retry_after = 0;
};

// One HTTP exchange, GET or (with a body) POST. The easy handle runs in a private multi handle,
// so a stop request wakes the wait at once (curl_multi_wakeup) instead of whenever libcurl next
// calls a progress function, which it may do only once a second on an idle connection.
Result<Exchange> perform(const VlmServer& server, const std::string& url,
                         const std::string* post_body, std::stop_token stop) {
  const std::string shown = mask_secret(url_for_messages(url), server.api_key);
  auto failure = [&](ErrorCode code, const std::string& what) {
    return fail(code, mask_secret(fmt::format("VLM server {}: {}", shown, what), server.api_key));
  };
  if (stop.stop_requested()) return failure(ErrorCode::kCancelled, "stopped before the request");

  Easy easy(curl_easy_init());
  Multi multi(curl_multi_init());
  if (!easy || !multi) return failure(ErrorCode::kInternal, "libcurl could not start a request");

  Slist headers;
  auto add_header = [&](const std::string& header) { curl::append(headers, header); };
  add_header("Accept: application/json");
  if (post_body) add_header("Content-Type: application/json");
  // A page image is often over 1 MiB; curl would then wait up to a second for "100 Continue".
  add_header("Expect:");
  if (server.api_key && !server.api_key->empty()) {
    add_header("Authorization: Bearer " + *server.api_key);
  }

  Received received;
  const long timeout_ms = std::max<long>(
      1, static_cast<long>(
             std::chrono::duration_cast<std::chrono::milliseconds>(server.timeout).count()));
  CURL* e = easy.get();
  curl_easy_setopt(e, CURLOPT_URL, url.c_str());
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, std::min(timeout_ms, kMaxConnectMs));
  curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);  // answers take minutes; keep NATs from idling
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(e, CURLOPT_USERAGENT, "docmill");
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &received);
  if (post_body) {
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, post_body->data());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post_body->size()));
  }
  if (curl_multi_add_handle(multi.get(), e) != CURLM_OK) {
    return failure(ErrorCode::kInternal, "libcurl could not start a request");
  }

  CURLcode result = CURLE_OK;
  bool cancelled = false;
  {
    // Declared after `multi`, so it is gone (and any call of it finished) before the handle is.
    std::stop_callback wake(stop, [&multi] { curl_multi_wakeup(multi.get()); });
    int running = 1;
    while (true) {
      if (stop.stop_requested()) {
        cancelled = true;
        break;
      }
      const CURLMcode mc = curl_multi_perform(multi.get(), &running);
      if (mc != CURLM_OK) {
        curl_multi_remove_handle(multi.get(), e);
        return failure(ErrorCode::kInternal,
                       fmt::format("libcurl failed: {}", curl_multi_strerror(mc)));
      }
      if (running == 0) break;
      curl_multi_poll(multi.get(), nullptr, 0, kPollMs, nullptr);
    }
    if (!cancelled) {
      int left = 0;
      while (CURLMsg* msg = curl_multi_info_read(multi.get(), &left)) {
        if (msg->msg == CURLMSG_DONE && msg->easy_handle == e) result = msg->data.result;
      }
    }
  }
  Exchange exchange;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &exchange.status);
  curl_easy_getinfo(e, CURLINFO_RETRY_AFTER, &exchange.retry_after);
  curl_off_t connect_us = 0;
  curl_easy_getinfo(e, CURLINFO_CONNECT_TIME_T, &connect_us);
  curl_multi_remove_handle(multi.get(), e);

  if (cancelled) return failure(ErrorCode::kCancelled, "request aborted: stop was requested");
  if (result == CURLE_OK) {
    exchange.body = std::move(received.body);
    return exchange;
  }
  const std::string curl_says = curl_easy_strerror(result);
  switch (result) {
    case CURLE_OPERATION_TIMEDOUT:
      if (connect_us == 0) {
        return failure(ErrorCode::kUnavailable,
                       fmt::format("no connection within {} s ({})",
                                   std::min(timeout_ms, kMaxConnectMs) / 1000.0, curl_says));
      }
      return failure(
          ErrorCode::kTimedOut,
          fmt::format("no answer within {} s (DOCMILL_VLM_TIMEOUT_SECONDS)", timeout_ms / 1000.0));
    case CURLE_WRITE_ERROR:
      if (received.overflow) {
        return failure(ErrorCode::kCorrupt,
                       fmt::format("the answer is larger than {} MiB", kMaxAnswerBytes >> 20));
      }
      break;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return failure(ErrorCode::kInvalidArgument,
                     fmt::format("not a usable URL (DOCMILL_VLM_URL): {}", curl_says));
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
      return failure(ErrorCode::kInvalidArgument,
                     fmt::format("TLS certificate refused: {}", curl_says));
    case CURLE_COULDNT_CONNECT:
      return failure(
          ErrorCode::kUnavailable,
          fmt::format("connection refused or unreachable ({}); is the server up?", curl_says));
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
      return failure(
          ErrorCode::kUnavailable,
          fmt::format("the connection was dropped before the answer was complete ({})", curl_says));
    default:
      break;
  }
  return failure(ErrorCode::kUnavailable, curl_says);
}

// A non-2xx status as the error the header's contract names.
Error http_error(const VlmServer& server, const std::string& url, const Exchange& exchange) {
  const std::string detail = error_detail(exchange.body);
  const long status = exchange.status;
  ErrorCode code = ErrorCode::kInvalidArgument;
  std::string what;
  if (status == 429 || status >= 500 || status == 408) {
    code = ErrorCode::kUnavailable;
    what = status == 429 ? "busy (HTTP 429)" : fmt::format("failed (HTTP {})", status);
    if (exchange.retry_after > 0) what += fmt::format(", retry after {} s", exchange.retry_after);
  } else if ((status == 400 && speaks_of_context_length(exchange.body)) || status == 413) {
    code = ErrorCode::kTooLarge;
    what = fmt::format("the request is too large for the model (HTTP {})", status);
  } else if (status == 401 || status == 403) {
    what = fmt::format("{} (HTTP {})",
                       server.api_key && !server.api_key->empty()
                           ? "the API key was refused (DOCMILL_VLM_API_KEY)"
                           : "an API key is required (DOCMILL_VLM_API_KEY)",
                       status);
  } else if (status == 404) {
    what =
        "not found (HTTP 404): is the URL the API's base, usually ending in /v1, and the "
        "model one the server lists?";
  } else if (status >= 300 && status < 400) {
    what = fmt::format("redirected (HTTP {}): set DOCMILL_VLM_URL to the final address", status);
  } else {
    what = fmt::format("refused the request (HTTP {})", status);
  }
  std::string message = fmt::format("VLM server {}: {}", url_for_messages(url), what);
  if (!detail.empty()) message += ": " + detail;
  return Error{code, mask_secret(std::move(message), server.api_key)};
}

Error corrupt(const VlmServer& server, const std::string& url, const std::string& why,
              const std::string& body) {
  std::string message =
      fmt::format("VLM server {}: the answer is not {} (HTTP 200)", url_for_messages(url), why);
  if (!body.empty()) message += ": " + error_detail(body);
  return Error{ErrorCode::kCorrupt, mask_secret(std::move(message), server.api_key)};
}

int token_count(const nlohmann::json& usage, const char* name) {
  if (!usage.is_object()) return 0;
  const auto it = usage.find(name);
  return it != usage.end() && it->is_number_integer() ? it->get<int>() : 0;
}

Result<VlmReply> parse_reply(const VlmServer& server, const std::string& url,
                             const std::string& body) {
  const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  const auto bad = [&] { return std::unexpected(corrupt(server, url, "a chat completion", body)); };
  if (!json.is_object()) return bad();
  const auto choices = json.find("choices");
  if (choices == json.end() || !choices->is_array() || choices->empty()) return bad();
  const auto& choice = (*choices)[0];
  if (!choice.is_object() || !choice.contains("message") || !choice["message"].is_object()) {
    return bad();
  }
  const auto& message = choice["message"];
  VlmReply reply;
  const auto content = message.find("content");
  if (content != message.end() && content->is_string()) {
    reply.content = valid_utf8(content->get<std::string>());
  } else if (content != message.end() && !content->is_null()) {
    return bad();
  }
  const auto finish = choice.find("finish_reason");
  if (finish != choice.end() && finish->is_string())
    reply.finish_reason = finish->get<std::string>();
  if (const auto usage = json.find("usage"); usage != json.end()) {
    reply.prompt_tokens = token_count(*usage, "prompt_tokens");
    reply.completion_tokens = token_count(*usage, "completion_tokens");
  }
  return reply;
}

}  // namespace

VlmClient::VlmClient(VlmServer server) : server_(std::move(server)) {
  while (!server_.base_url.empty() && server_.base_url.back() == '/') server_.base_url.pop_back();
}

Result<std::vector<std::string>> VlmClient::models(std::stop_token stop) const {
  const std::string url = server_.base_url + "/models";
  auto exchange = perform(server_, url, nullptr, stop);
  if (!exchange) return std::unexpected(exchange.error());
  if (exchange->status < 200 || exchange->status >= 300) {
    return std::unexpected(http_error(server_, url, *exchange));
  }
  const auto json = nlohmann::json::parse(exchange->body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("data") || !json["data"].is_array()) {
    return std::unexpected(corrupt(server_, url, "a model list", exchange->body));
  }
  std::vector<std::string> ids;
  for (const auto& model : json["data"]) {
    if (model.is_object() && model.contains("id") && model["id"].is_string()) {
      ids.push_back(valid_utf8(model["id"].get<std::string>()));
    }
  }
  return ids;
}

Result<VlmReply> VlmClient::complete(const VlmRequest& request, std::stop_token stop) const {
  const std::string url = server_.base_url + "/chat/completions";
  const std::string body = vlm_request_body(request);
  auto exchange = perform(server_, url, &body, stop);
  if (!exchange) return std::unexpected(exchange.error());
  if (exchange->status < 200 || exchange->status >= 300) {
    return std::unexpected(http_error(server_, url, *exchange));
  }
  return parse_reply(server_, url, exchange->body);
}

std::string vlm_request_body(const VlmRequest& request) {
  using Json = nlohmann::ordered_json;  // the field order VLM.md shows, for people reading logs
  Json image_part = {
      {"type", "image_url"},
      {"image_url",
       {{"url", "data:" + request.image_mime + ";base64," + base64_encode(request.image)}}}};
  Json text_part = {{"type", "text"}, {"text", request.prompt}};
  Json body;
  // vLLM serves its one model when none is named; other servers answer 4xx, which says so.
  if (!request.model.empty()) body["model"] = request.model;
  body["messages"] = Json::array({Json{
      {"role", "user"}, {"content", Json::array({std::move(image_part), std::move(text_part)})}}});
  body["max_tokens"] = request.max_tokens;
  body["temperature"] = request.temperature;
  if (request.deepseek_extras) {
    body["skip_special_tokens"] = false;
    body["vllm_xargs"] = {{"ngram_size", 30},
                          {"window_size", 90},
                          {"whitelist_token_ids", Json::array({128821, 128822})}};
  }
  return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string mask_secret(std::string text, const std::optional<std::string>& secret) {
  if (!secret || secret->empty()) return text;
  for (size_t at = text.find(*secret); at != std::string::npos; at = text.find(*secret, at + 3)) {
    text.replace(at, secret->size(), "***");
  }
  return text;
}

}  // namespace docmill
