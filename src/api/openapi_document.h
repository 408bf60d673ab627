#pragma once
// The OpenAPI 3.1 document of the API, src/api/openapi.json, compiled into the binary by CMake
// (openapi_document.cpp.in), so that /openapi.json always describes the binary serving it.
#include <string_view>

namespace docmill {

// The document's text, exactly as in src/api/openapi.json.
std::string_view openapi_document();

}  // namespace docmill
