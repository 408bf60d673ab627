#pragma once
// A job as the seed's clients see it in /status and /tasks.
#include <nlohmann/json.hpp>

#include "jobs/job.h"

namespace docmill {

nlohmann::json job_to_json(const Job& job);

}  // namespace docmill
