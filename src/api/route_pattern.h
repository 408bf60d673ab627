#pragma once
// The API's paths are written once, as OpenAPI path templates ("/result/{job_id}/status"):
// openapi.json describes them and the router matches them. httplib matches regular
// expressions, so each template is turned into one here.
#include <string>
#include <string_view>

namespace docmill {

enum class HttpMethod { kGet, kPost, kDelete };

// The method as an OpenAPI operation names it: "get", "post", "delete".
std::string_view openapi_name(HttpMethod method);

// The regular expression httplib matches for `path`: its text literally, each `{name}` one
// capture group, in order. A parameter matches one path segment, except `{image_name}`, which
// takes the rest of the path so that any name after images/ reaches the handler (which lets
// only names the job wrote through) rather than the router's bare 404.
std::string route_pattern(std::string_view path);

}  // namespace docmill
