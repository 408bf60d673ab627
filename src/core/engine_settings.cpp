#include "core/engine_settings.h"

namespace docmill {
namespace {

template <class E, size_t N>
std::optional<E> by_name(std::string_view s, const std::pair<std::string_view, E> (&names)[N]) {
  for (const auto& [name, value] : names) {
    if (name == s) return value;
  }
  return std::nullopt;
}

constexpr std::pair<std::string_view, EngineKind> kEngines[] = {
    {"tesseract", EngineKind::kTesseract}, {"vlm", EngineKind::kVlm}};
constexpr std::pair<std::string_view, VlmFallback> kFallbacks[] = {
    {"tesseract", VlmFallback::kTesseract}, {"fail", VlmFallback::kFail}};
constexpr std::pair<std::string_view, VlmProtocol> kProtocols[] = {
    {"deepseek", VlmProtocol::kDeepseek}, {"markdown", VlmProtocol::kMarkdown}};
constexpr std::pair<std::string_view, VlmTextLayer> kTextLayers[] = {
    {"merge", VlmTextLayer::kMerge}, {"ignore", VlmTextLayer::kIgnore}};

template <class E, size_t N>
std::string_view name_of(E value, const std::pair<std::string_view, E> (&names)[N]) {
  for (const auto& [name, v] : names) {
    if (v == value) return name;
  }
  return names[0].first;
}

}  // namespace

std::string_view to_string(EngineKind e) {
  return name_of(e, kEngines);
}
std::string_view to_string(VlmFallback f) {
  return name_of(f, kFallbacks);
}
std::string_view to_string(VlmProtocol p) {
  return name_of(p, kProtocols);
}
std::string_view to_string(VlmTextLayer t) {
  return name_of(t, kTextLayers);
}
std::optional<EngineKind> parse_engine_kind(std::string_view s) {
  return by_name(s, kEngines);
}
std::optional<VlmFallback> parse_vlm_fallback(std::string_view s) {
  return by_name(s, kFallbacks);
}
std::optional<VlmProtocol> parse_vlm_protocol(std::string_view s) {
  return by_name(s, kProtocols);
}
std::optional<VlmTextLayer> parse_vlm_text_layer(std::string_view s) {
  return by_name(s, kTextLayers);
}

EngineKind resolve_engine(std::optional<EngineKind> chosen, const VlmSettings& vlm) {
  if (chosen) return *chosen;
  return vlm.configured() ? EngineKind::kVlm : EngineKind::kTesseract;
}

}  // namespace docmill
