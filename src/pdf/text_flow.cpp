#include "pdf/text_flow.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

namespace docmill {
namespace {

// Poppler reports syntax problems on stderr; MuPDF's warnings about the same file are the
// ones a page reports, so Poppler's are dropped.
void ignore_message(const std::string&, void*) {}

}  // namespace

Result<TextFlow> TextFlow::open(const std::filesystem::path& path) {
  poppler::set_debug_error_function(ignore_message, nullptr);
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(path.string()));
  if (doc == nullptr || doc->is_locked()) {
    return fail(ErrorCode::kCorrupt, "Poppler cannot read the PDF's text flow");
  }
  return TextFlow(std::move(doc));
}

TextFlow::TextFlow(std::unique_ptr<poppler::document> doc) : doc_(std::move(doc)) {}
TextFlow::TextFlow(TextFlow&&) noexcept = default;
TextFlow& TextFlow::operator=(TextFlow&&) noexcept = default;
TextFlow::~TextFlow() = default;

Result<std::vector<Box>> TextFlow::words(int page_index) {
  std::unique_ptr<poppler::page> page(doc_->create_page(page_index));
  if (page == nullptr) return fail(ErrorCode::kCorrupt, "Poppler cannot load the page");
  std::vector<Box> out;
  for (const auto& word : page->text_list()) {
    const poppler::rectf r = word.bbox();
    out.push_back({static_cast<float>(r.left()), static_cast<float>(r.top()),
                   static_cast<float>(r.right()), static_cast<float>(r.bottom())});
  }
  return out;
}

}  // namespace docmill
