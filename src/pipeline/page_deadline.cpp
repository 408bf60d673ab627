#include "pipeline/page_deadline.h"

namespace docmill {

PageDeadline::PageDeadline(std::stop_token outer, std::chrono::milliseconds timeout)
    : forward_(std::move(outer), Forward{&source_}) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  // A thread, because the work it bounds (MuPDF's interpreter, Tesseract) only polls a flag:
  // something has to raise it when the time is up.
  watchdog_ = std::jthread([this, deadline](std::stop_token done) {
    std::unique_lock lock(mu_);
    wake_.wait_until(lock, done, deadline, [] { return false; });
    if (!done.stop_requested()) {
      timed_out_ = true;
      source_.request_stop();
    }
  });
}

}  // namespace docmill
