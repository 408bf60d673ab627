#include "api/http_errors.h"

namespace docmill {

int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kEmpty:
    case ErrorCode::kUnsupported:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kCancelled:
      return 409;
    case ErrorCode::kTooLarge:
    case ErrorCode::kTooManyPages:
      return 413;
    case ErrorCode::kNotPdf:
      return 415;
    case ErrorCode::kEncrypted:
    case ErrorCode::kCorrupt:
      return 422;
    case ErrorCode::kQueueFull:
      return 429;
    case ErrorCode::kIo:
    case ErrorCode::kOcr:
    case ErrorCode::kDatabase:
    case ErrorCode::kInternal:
      return 500;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kTimedOut:
      return 504;
  }
  return 500;
}

std::string json_text(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(json_text(body), "application/json");
}

void send_error(httplib::Response& res, const Error& error) {
  send_error(res, http_status(error.code), to_string(error.code), error.message);
}

void send_error(httplib::Response& res, int status, std::string_view code,
                std::string_view detail) {
  send_json(res, status, {{"detail", detail}, {"error", code}});
}

}  // namespace docmill
