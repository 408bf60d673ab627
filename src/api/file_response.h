#pragma once
// Sends a file as the response body, read in chunks as the socket takes them, so a large
// layout PDF is never held whole in memory.
#include <httplib.h>

#include <filesystem>
#include <string>

#include "core/error.h"

namespace docmill {

// kNotFound when the file cannot be opened.
Status send_file(httplib::Response& res, const std::filesystem::path& file,
                 const std::string& content_type);

}  // namespace docmill
