#pragma once
// PageResult <-> JSON: the per-page record in pages.json and in a job's pages/<n>.json, from
// which the outputs are assembled.
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "layout/page_model.h"

namespace docmill {

nlohmann::json to_json(const PageResult& page);
Result<PageResult> page_result_from_json(const nlohmann::json& j);

}  // namespace docmill
