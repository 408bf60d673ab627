#pragma once
// The VLM engine's flags, shared by `convert` and the hidden `worker-process` (serve takes the same
// settings as DOCMILL_VLM_* variables and --vlm-* flags, through core/config).
#include <CLI/CLI.hpp>

#include "core/engine_settings.h"

namespace docmill {

// Adds --vlm-url, --vlm-model, ... writing into `vlm`. With `key_flag`, also --vlm-api-key;
// either way the key may come from DOCMILL_VLM_API_KEY, so it need not be on a command line.
void add_vlm_flags(CLI::App* cmd, VlmSettings& vlm, bool key_flag);

}  // namespace docmill
