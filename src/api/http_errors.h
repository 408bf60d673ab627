#pragma once
// The one place an ErrorCode becomes an HTTP status, and the shape of every error body:
// {"detail": "...", "error": "<code>"}, FastAPI's shape (what the seed's clients parse), plus
// a machine-readable code.
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace docmill {

int http_status(ErrorCode code);

// JSON text that never throws on invalid UTF-8 (an uploaded file name can hold anything).
std::string json_text(const nlohmann::json& j);

void send_json(httplib::Response& res, int status, const nlohmann::json& body);
void send_error(httplib::Response& res, const Error& error);
void send_error(httplib::Response& res, int status, std::string_view code, std::string_view detail);

}  // namespace docmill
