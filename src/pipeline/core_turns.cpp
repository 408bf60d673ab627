#include "pipeline/core_turns.h"

namespace docmill {

std::optional<CoreTurns::Turn> CoreTurns::take(std::stop_token stop) {
  if (cores_ == nullptr) {
    say(false);
    return Turn(nullptr);
  }
  say(true);
  if (!cores_->acquire(stop)) return std::nullopt;
  say(false);
  return Turn(cores_);
}

}  // namespace docmill
