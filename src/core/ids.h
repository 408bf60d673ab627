#pragma once
#include <string>
#include <string_view>

namespace docmill {

// A random (version 4) UUID, the form of the seed's job ids.
std::string new_job_id();

// True when `id` has the 8-4-4-4-12 hex form new_job_id() makes; anything else (paths, dots)
// never reaches the file system.
bool is_job_id(std::string_view id);

}  // namespace docmill
