#include "pipeline/document_pages.h"

#include <utility>

namespace docmill {

DocumentPages::DocumentPages(std::vector<int> page_counts)
    : counts_(std::move(page_counts)), handed_(counts_.size(), 0) {}

std::optional<DocumentPages::Page> DocumentPages::take(int document) {
  return Page{document, handed_[document]++};
}

std::optional<DocumentPages::Page> DocumentPages::next(int current) {
  const int documents = static_cast<int>(counts_.size());
  if (current >= 0 && current < documents && handed_[current] < counts_[current]) {
    return take(current);
  }
  while (unstarted_ < documents) {
    const int d = unstarted_++;
    if (handed_[d] < counts_[d]) return take(d);
  }
  // Every document is started: help with the one with the most pages left.
  int most = -1;
  for (int d = 0; d < documents; ++d) {
    if (handed_[d] < counts_[d] &&
        (most < 0 || counts_[d] - handed_[d] > counts_[most] - handed_[most])) {
      most = d;
    }
  }
  if (most < 0) return std::nullopt;
  return take(most);
}

}  // namespace docmill
