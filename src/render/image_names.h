#pragma once
// Figure file names: only names of the form the pipeline writes ("<page>_<idx>.jpg")
// ever reach the file system, so "../x", "%2e%2e" or an absolute path cannot name anything.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace docmill {

bool is_image_name(std::string_view name);

// The figure names among `names`, sorted by page, then index (numerically: 2_0 before 10_0).
std::vector<std::string> image_names_in_order(std::vector<std::string> names);

// The image files in `dir`, sorted by page, then index (numerically: 2_0 before 10_0).
Result<std::vector<std::string>> list_images(const std::filesystem::path& dir);

}  // namespace docmill
