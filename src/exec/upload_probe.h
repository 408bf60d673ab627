#pragma once
// The upload check (page count, encryption, damage) run in a child process, `docmill probe`:
// the server itself never opens an uploaded PDF. A PDF that crashes or hangs the check is
// refused with a message saying so, and the server goes on.
#include <chrono>
#include <filesystem>

#include "core/error.h"

namespace docmill {

struct ProbeLimits {
  long long memory_bytes = 0;  // address space of the check; 0: none
  std::chrono::milliseconds timeout{30'000};
};

// The PDF's page count, or why it cannot be accepted (the codes of probe_pdf).
Result<int> probe_in_child(const std::filesystem::path& binary, const std::filesystem::path& pdf,
                           ProbeLimits limits);

}  // namespace docmill
