#include "render/label_colors.h"

namespace docmill {

std::array<float, 3> label_color(Label label) {
  switch (label) {
    case Label::kTitle:
      return {0.85f, 0.10f, 0.10f};
    case Label::kSubTitle:
      return {0.95f, 0.45f, 0.05f};
    case Label::kText:
      return {0.10f, 0.35f, 0.85f};
    case Label::kList:
      return {0.05f, 0.60f, 0.60f};
    case Label::kTable:
      return {0.55f, 0.20f, 0.75f};
    case Label::kTableCaption:
      return {0.75f, 0.40f, 0.85f};
    case Label::kTableFootnote:
      return {0.60f, 0.50f, 0.70f};
    case Label::kImage:
      return {0.10f, 0.65f, 0.15f};
    case Label::kImageCaption:
      return {0.45f, 0.75f, 0.20f};
    case Label::kEquation:
      return {0.80f, 0.10f, 0.60f};
    case Label::kCode:
      return {0.35f, 0.35f, 0.35f};
    case Label::kHeader:
      return {0.60f, 0.45f, 0.25f};
    case Label::kFooter:
      return {0.50f, 0.40f, 0.30f};
    case Label::kPageNumber:
      return {0.70f, 0.60f, 0.10f};
  }
  return {0, 0, 0};
}

}  // namespace docmill
