#include "core/clock.h"

#include <fmt/chrono.h>

namespace docmill {

std::string iso8601_utc(std::chrono::system_clock::time_point t) {
  return fmt::format("{:%FT%TZ}", fmt::gmtime(std::chrono::system_clock::to_time_t(t)));
}

}  // namespace docmill
