#pragma once
#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.h"

namespace docmill {

// Writes `content` to a temporary file beside `path`, then renames it over `path`: readers see
// the old file or the new one, never half of one, even if the process dies mid-write.
Status write_file_atomic(const std::filesystem::path& path, std::string_view content);

Result<std::string> read_file(const std::filesystem::path& path);

}  // namespace docmill
