#pragma once
#include <cstdio>

#include "pipeline/document_converter.h"

namespace docmill {

// Pages done / total (and documents, for several) and pages per second, redrawn in place on a
// terminal.
class ProgressBar {
 public:
  explicit ProgressBar(std::FILE* out);
  void update(const ConvertProgress& p);
  void finish();

 private:
  std::FILE* out_;
  bool active_;
};

}  // namespace docmill
