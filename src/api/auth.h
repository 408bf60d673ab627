#pragma once
// Bearer-token authentication: with a token configured, a request must carry
// "Authorization: Bearer <token>". Compared in constant time, so response timing says nothing
// about how much of a guess was right.
#include <optional>
#include <string>
#include <string_view>

namespace docmill {

// True when `a` and `b` are equal; the time taken depends only on their lengths.
bool constant_time_equals(std::string_view a, std::string_view b);

// True when no token is configured, or `authorization` (the header's value) carries it.
bool is_authorized(const std::optional<std::string>& token, std::string_view authorization);

}  // namespace docmill
