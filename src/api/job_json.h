#pragma once
// A job as the seed's clients see it in /status and /tasks.
#include <optional>

#include <nlohmann/json.hpp>

#include "jobs/job.h"

namespace docmill {

// The seed's fields, plus the extensions `priority` and, from `standing`, `queue_position`,
// `pages_ahead` and `estimated_seconds_remaining` (null where unknown or past).
nlohmann::json job_to_json(const Job& job, const std::optional<QueueStanding>& standing = {});

}  // namespace docmill
