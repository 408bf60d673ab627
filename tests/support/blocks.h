#pragma once
// Page blocks written out in a line, for tests of what reads or places them.
#include <string>
#include <utility>

#include "layout/page_model.h"

namespace docmill::testing {

inline Block block(Label label, Box box, std::string text) {
  Block b;
  b.label = label;
  b.box = box;
  b.text = std::move(text);
  return b;
}

}  // namespace docmill::testing
