#pragma once
// HTTP helpers for end-to-end tests against docmill serve.
#include <httplib.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace docmill::testing {

// POST /process_pdf with `bytes` as the multipart field "file" and `fields` beside it.
httplib::Result upload_pdf(httplib::Client& client, const std::string& bytes,
                           const std::string& filename = "document.pdf",
                           const std::map<std::string, std::string>& fields = {});

// The response body as JSON; null when there is no response or it is not JSON.
nlohmann::json json_of(const httplib::Result& res);

// Polls /result/<id>/status (every 50 ms) until `done` holds for its JSON or `timeout` passes;
// returns the last status seen (null when the job never answered 200). `seen` gets every one.
nlohmann::json poll_status(httplib::Client& client, const std::string& job_id,
                           const std::function<bool(const nlohmann::json&)>& done,
                           std::chrono::milliseconds timeout,
                           const std::function<void(const nlohmann::json&)>& seen = {});

// Polls until the job is completed or failed.
nlohmann::json wait_finished(httplib::Client& client, const std::string& job_id,
                             std::chrono::milliseconds timeout = std::chrono::seconds(120));

// True when `jpeg` decodes completely with libjpeg; `width`/`height` get its size.
bool decodes_as_jpeg(const std::string& jpeg, int* width = nullptr, int* height = nullptr);

}  // namespace docmill::testing
