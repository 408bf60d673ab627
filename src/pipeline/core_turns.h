#pragma once
// One worker thread's turns on a core, and what it tells its supervisor about them. A page on
// the VLM engine spends most of its time waiting on the model server; only rendering, layout
// and figure crops need a core (and can crash on a hostile PDF). So the thread takes a turn
// for those and gives it back while it waits, and says "waiting" whenever it holds no turn:
// the supervisor applies the page time limit, and blames a crash, only on units in a turn.
#include <functional>
#include <optional>
#include <stop_token>
#include <utility>

#include "core/slots.h"

namespace docmill {

class CoreTurns {
 public:
  // `cores` may be null: no limit (one thread per core already). `on_wait(true)` when the
  // thread starts waiting (for a core or a server), `on_wait(false)` when it works again.
  explicit CoreTurns(Slots* cores = nullptr, std::function<void(bool waiting)> on_wait = {})
      : cores_(cores), on_wait_(std::move(on_wait)) {}

  class Turn {
   public:
    explicit Turn(Slots* cores) : cores_(cores) {}
    Turn(Turn&& o) noexcept : cores_(std::exchange(o.cores_, nullptr)) {}
    Turn& operator=(Turn&&) = delete;
    ~Turn() {
      if (cores_ != nullptr) cores_->release();
    }

   private:
    Slots* cores_;
  };

  // Waits for a core; nullopt when `stop` was requested first.
  std::optional<Turn> take(std::stop_token stop);
  // The thread is about to wait on something other than a core (the model server).
  void waiting() { say(true); }

  void set_on_wait(std::function<void(bool waiting)> on_wait) { on_wait_ = std::move(on_wait); }

 private:
  void say(bool waiting) {
    if (on_wait_) on_wait_(waiting);
  }

  Slots* cores_;
  std::function<void(bool waiting)> on_wait_;
};

}  // namespace docmill
