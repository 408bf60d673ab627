#include "layout/page_model.h"

#include <array>
#include <utility>

namespace docmill {
namespace {
constexpr std::array<std::pair<Label, std::string_view>, 14> kLabelNames{{
    {Label::kTitle, "title"},
    {Label::kSubTitle, "sub_title"},
    {Label::kText, "text"},
    {Label::kList, "list"},
    {Label::kTable, "table"},
    {Label::kTableCaption, "table_caption"},
    {Label::kTableFootnote, "table_footnote"},
    {Label::kImage, "image"},
    {Label::kImageCaption, "image_caption"},
    {Label::kEquation, "equation"},
    {Label::kCode, "code"},
    {Label::kHeader, "header"},
    {Label::kFooter, "footer"},
    {Label::kPageNumber, "page_number"},
}};
}  // namespace

std::string_view to_string(Label label) {
  for (const auto& [l, name] : kLabelNames) {
    if (l == label) return name;
  }
  return "text";
}

std::optional<Label> parse_label(std::string_view s) {
  for (const auto& [l, name] : kLabelNames) {
    if (name == s) return l;
  }
  return std::nullopt;
}

std::string_view to_string(ReadMethod m) {
  switch (m) {
    case ReadMethod::kTextLayer:
      return "text_layer";
    case ReadMethod::kOcr:
      return "ocr";
    case ReadMethod::kVlm:
      return "vlm";
    case ReadMethod::kBlank:
      return "blank";
    case ReadMethod::kFailed:
      return "failed";
  }
  return "failed";
}

std::optional<ReadMethod> parse_read_method(std::string_view s) {
  for (auto m : {ReadMethod::kTextLayer, ReadMethod::kOcr, ReadMethod::kVlm, ReadMethod::kBlank,
                 ReadMethod::kFailed}) {
    if (to_string(m) == s) return m;
  }
  return std::nullopt;
}

}  // namespace docmill
