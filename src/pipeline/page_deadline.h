#pragma once
// The stop token one page's work runs under: it fires when the caller's token does (the job
// was cancelled, the server is stopping) or when the page's time is up, and says which.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <thread>

namespace docmill {

class PageDeadline {
 public:
  PageDeadline(std::stop_token outer, std::chrono::milliseconds timeout);
  PageDeadline(const PageDeadline&) = delete;
  PageDeadline& operator=(const PageDeadline&) = delete;

  std::stop_token token() const { return source_.get_token(); }
  // True once the time ran out (the token fired because of it, not because of `outer`).
  bool timed_out() const { return timed_out_.load(); }

 private:
  struct Forward {
    std::stop_source* source;
    void operator()() const noexcept { source->request_stop(); }
  };
  std::stop_source source_;
  std::atomic<bool> timed_out_{false};
  std::stop_callback<Forward> forward_;
  std::mutex mu_;
  std::condition_variable_any wake_;
  // Last: started once everything it touches exists, stopped and joined first.
  std::jthread watchdog_;
};

}  // namespace docmill
