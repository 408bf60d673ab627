#include "cli/vlm_flags.h"

#include <string>

namespace docmill {
namespace {

// An option parsed by `parse` into `out`; a value it does not know names what it expects.
template <class E>
void enum_option(CLI::App* cmd, const std::string& flag, E& out,
                 std::optional<E> (*parse)(std::string_view), const std::string& expected,
                 const std::string& help) {
  cmd->add_option_function<std::string>(
         flag,
         [&out, parse, flag, expected](const std::string& v) {
           auto e = parse(v);
           if (!e) throw CLI::ValidationError(flag, "'" + v + "': expected " + expected);
           out = *e;
         },
         help)
      ->type_name(expected);
}

}  // namespace

void add_vlm_flags(CLI::App* cmd, VlmSettings& vlm, bool key_flag) {
  cmd->add_option("--vlm-url", vlm.url,
                  "base URL of an OpenAI-compatible model server, e.g. http://gpu-host:8000/v1")
      ->envname("DOCMILL_VLM_URL");
  cmd->add_option("--vlm-model", vlm.model, "model to ask (default: the first the server lists)")
      ->envname("DOCMILL_VLM_MODEL");
  if (key_flag) {
    cmd->add_option("--vlm-api-key", vlm.api_key, "sent as Bearer (or DOCMILL_VLM_API_KEY)");
  }
  // The key from the environment; a flag given on the command line wins.
  if (!vlm.api_key) {
    if (const char* key = std::getenv("DOCMILL_VLM_API_KEY"); key != nullptr && *key != '\0') {
      vlm.api_key = key;
    }
  }
  cmd->add_option("--vlm-concurrency", vlm.concurrency, "model requests in flight")
      ->check(CLI::Range(1, 1024));
  cmd->add_option_function<long long>(
         "--vlm-timeout-seconds", [&vlm](long long s) { vlm.timeout = std::chrono::seconds(s); },
         "time one model request may take")
      ->check(CLI::Range(1LL, 86'400LL));
  cmd->add_option("--vlm-max-tokens", vlm.max_tokens, "longest answer for one page")
      ->check(CLI::Range(16, 1'000'000));
  cmd->add_option("--vlm-dpi", vlm.dpi, "resolution of the page image sent")
      ->check(CLI::Range(36, 600));
  cmd->add_option("--vlm-max-side", vlm.max_side, "longest side of the page image sent, pixels")
      ->check(CLI::Range(256, 10'000));
  enum_option(cmd, "--vlm-fallback", vlm.fallback, parse_vlm_fallback, "tesseract|fail",
              "a page the model could not read: read by Tesseract, or failed");
  enum_option(cmd, "--vlm-protocol", vlm.protocol, parse_vlm_protocol, "deepseek|markdown",
              "grounding tags with boxes, or plain markdown");
  enum_option(cmd, "--vlm-text-layer", vlm.text_layer, parse_vlm_text_layer, "merge|ignore",
              "text blocks take a usable text layer's characters, or the model's");
  cmd->add_option("--vlm-retry-temperature", vlm.retry_temperature,
                  "temperature of the retry after a repetition loop")
      ->check(CLI::Range(0.0, 2.0));
}

}  // namespace docmill
