#include "core/read_options.h"

namespace docmill {

std::string_view to_string(OcrExisting m) {
  switch (m) {
    case OcrExisting::kKeep:
      return "keep";
    case OcrExisting::kRedo:
      return "redo";
    case OcrExisting::kAuto:
      break;
  }
  return "auto";
}

std::optional<OcrExisting> parse_ocr_existing(std::string_view s) {
  if (s == "auto") return OcrExisting::kAuto;
  if (s == "keep") return OcrExisting::kKeep;
  if (s == "redo") return OcrExisting::kRedo;
  return std::nullopt;
}

}  // namespace docmill
