#pragma once
// Which engine reads a page, and how the VLM engine reaches its model server: the settings
// `serve` and `convert` share (DOCMILL_ENGINE, DOCMILL_VLM_*). Pure data and its names.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace docmill {

// kTesseract: MuPDF's text layer, else Tesseract. kVlm: an OCR vision-language model.
enum class EngineKind { kTesseract, kVlm };
std::string_view to_string(EngineKind e);
std::optional<EngineKind> parse_engine_kind(std::string_view s);

// What happens to a page the model could not read after its retries.
enum class VlmFallback { kTesseract, kFail };
// How the model answers: DeepSeek-OCR's grounding tags, or plain markdown without boxes.
enum class VlmProtocol { kDeepseek, kMarkdown };
// Whether text blocks take their characters from a usable text layer (merge) or the model.
enum class VlmTextLayer { kMerge, kIgnore };

std::string_view to_string(VlmFallback f);
std::string_view to_string(VlmProtocol p);
std::string_view to_string(VlmTextLayer t);
std::optional<VlmFallback> parse_vlm_fallback(std::string_view s);
std::optional<VlmProtocol> parse_vlm_protocol(std::string_view s);
std::optional<VlmTextLayer> parse_vlm_text_layer(std::string_view s);

struct VlmSettings {
  std::string url;                     // base URL, ".../v1"; empty: no VLM configured
  std::string model;                   // empty: the first model the server lists
  std::optional<std::string> api_key;  // Bearer; never logged
  int concurrency = 16;                // requests in flight across all jobs
  std::chrono::seconds timeout{300};   // per request
  int max_tokens = 6000;
  // The page image: rendered at `dpi`, lowered so that its long side stays within
  // `max_side` pixels (DeepSeek-OCR gains nothing past about 1920).
  int dpi = 144;
  int max_side = 1920;
  VlmFallback fallback = VlmFallback::kTesseract;
  VlmProtocol protocol = VlmProtocol::kDeepseek;
  VlmTextLayer text_layer = VlmTextLayer::kMerge;
  // A repetition loop (finish_reason "length") is tried again at this temperature.
  double retry_temperature = 0.2;

  bool configured() const { return !url.empty(); }
};

// The engine `auto` means: the VLM when a VLM URL is set.
EngineKind resolve_engine(std::optional<EngineKind> chosen, const VlmSettings& vlm);

}  // namespace docmill
