#include "pdf/layout_pdf_writer.h"

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "pdf/mupdf_context.h"
#include "render/label_colors.h"

namespace docmill {
namespace {

struct BoxSpec {
  fz_rect rect;
  fz_rect label_rect;
  std::array<float, 3> color;
  std::string label;
};

std::vector<BoxSpec> box_specs(const PageResult& page) {
  std::vector<BoxSpec> specs;
  for (const auto& b : page.blocks) {
    BoxSpec s;
    s.rect = {b.box.x0, b.box.y0, b.box.x1, b.box.y1};
    const std::string name(to_string(b.label));
    const float w = 3.2f * static_cast<float>(name.size()) + 4.f;
    s.label_rect = {b.box.x0, std::max(0.f, b.box.y0 - 7.f), b.box.x0 + w, std::max(7.f, b.box.y0)};
    s.color = label_color(b.label);
    s.label = name;
    specs.push_back(std::move(s));
  }
  return specs;
}

// Adds the annotations of one page; only C calls in here, as fz_try requires.
void annotate_page(fz_context* ctx, pdf_document* doc, int page_index,
                   const std::vector<BoxSpec>& specs) {
  pdf_page* page = pdf_load_page(ctx, doc, page_index);
  fz_try(ctx) {
    for (const auto& s : specs) {
      pdf_annot* box = pdf_create_annot(ctx, page, PDF_ANNOT_SQUARE);
      pdf_set_annot_rect(ctx, box, s.rect);
      pdf_set_annot_color(ctx, box, 3, s.color.data());
      pdf_set_annot_border(ctx, box, 1.0f);
      pdf_set_annot_contents(ctx, box, s.label.c_str());
      pdf_drop_annot(ctx, box);

      pdf_annot* tag = pdf_create_annot(ctx, page, PDF_ANNOT_FREE_TEXT);
      pdf_set_annot_rect(ctx, tag, s.label_rect);
      pdf_set_annot_contents(ctx, tag, s.label.c_str());
      pdf_set_annot_default_appearance(ctx, tag, "Helv", 5.5f, 3, s.color.data());
      pdf_set_annot_border(ctx, tag, 0.0f);
      pdf_drop_annot(ctx, tag);
    }
    // Appearances once for the whole page: updating after each annotation redoes every
    // annotation of the open pages each time, quadratic in the boxes (it took 78% of a
    // three-page reference card's conversion).
    pdf_update_page(ctx, page);
  }
  fz_always(ctx) {
    fz_drop_page(ctx, &page->super);
  }
  fz_catch(ctx) {
    fz_rethrow(ctx);
  }
}

}  // namespace

Status write_layout_pdf(const std::filesystem::path& input, std::span<const PageResult> pages,
                        const std::filesystem::path& output) {
  auto mctx = MupdfContext::create();
  if (!mctx) return std::unexpected(mctx.error());
  fz_context* ctx = mctx->get();
  pdf_document* doc = nullptr;
  fz_var(doc);
  std::vector<std::vector<BoxSpec>> specs;
  specs.reserve(pages.size());
  for (const auto& p : pages) specs.push_back(box_specs(p));
  const std::string out = output.string();
  fz_try(ctx) {
    doc = pdf_open_document(ctx, input.c_str());
    if (pdf_needs_password(ctx, doc)) pdf_authenticate_password(ctx, doc, "");
    const int count = pdf_count_pages(ctx, doc);
    for (size_t i = 0; i < pages.size(); ++i) {
      // Failed pages have no boxes, and loading them may fail again: they are left as they are.
      if (pages[i].page_index < count && !specs[i].empty()) {
        annotate_page(ctx, doc, pages[i].page_index, specs[i]);
      }
    }
    pdf_write_options opts = pdf_default_write_options;
    // Streams are written as the input had them: recompressing every stream was most of the
    // save's time, and the input's are compressed already.
    opts.do_compress = 0;
    opts.do_garbage = 1;
    pdf_save_document(ctx, doc, out.c_str(), &opts);
  }
  fz_always(ctx) {
    pdf_drop_document(ctx, doc);
  }
  fz_catch(ctx) {
    return fail(ErrorCode::kCorrupt,
                fmt::format("cannot write the layout PDF: {}", fz_caught_message(ctx)));
  }
  return {};
}

}  // namespace docmill
