#pragma once
// Waiting that a stop token cuts short: backoff between retries, the pause of a periodic
// thread. A thread that sleeps plainly would hold up DELETE or shutdown for the whole wait.
#include <chrono>
#include <stop_token>

namespace docmill {

// Waits `d`; false (at once) when `stop` is requested before or during the wait.
bool wait_unless_stopped(std::stop_token stop, std::chrono::milliseconds d);

}  // namespace docmill
