#pragma once
#include <array>

#include "layout/page_model.h"

namespace docmill {

// The colour a label's boxes are drawn in, RGB 0–1: one per label, distinct at a glance.
std::array<float, 3> label_color(Label label);

}  // namespace docmill
