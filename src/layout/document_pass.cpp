#include "layout/document_pass.h"

#include "layout/paragraph_join.h"
#include "layout/running_furniture.h"

namespace docmill {

void finish_document(std::span<PageResult> pages) {
  label_running_furniture(pages);
  for (auto& page : pages) join_cut_paragraphs(page.blocks);
}

}  // namespace docmill
