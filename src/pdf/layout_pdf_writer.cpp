#include "pdf/layout_pdf_writer.h"

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "pdf/mupdf_context.h"
#include "pdf/pdf_document.h"
#include "pdf/stream_lengths.h"
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
  const auto add = [&](const Block& b, const Box& box) {
    BoxSpec s;
    s.rect = {box.x0, box.y0, box.x1, box.y1};
    const std::string name(to_string(b.label));
    const float w = 3.2f * static_cast<float>(name.size()) + 4.f;
    s.label_rect = {box.x0, std::max(0.f, box.y0 - 7.f), box.x0 + w, std::max(7.f, box.y0)};
    s.color = label_color(b.label);
    s.label = name;
    specs.push_back(std::move(s));
  };
  for (const auto& b : page.blocks) {
    add(b, b.box);
    for (const auto& more : b.more_boxes) add(b, more);
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

// The page's render as an image page of the page's size, appended to `doc`. A page that
// cannot be drawn (or has no size) is added white.
void add_image_page(fz_context* ctx, pdf_document* doc, const Raster* render, float width,
                    float height) {
  fz_pixmap* pix = nullptr;
  fz_image* image = nullptr;
  fz_buffer* contents = nullptr;
  pdf_obj* resources = nullptr;
  pdf_obj* page = nullptr;
  fz_var(pix);
  fz_var(image);
  fz_var(contents);
  fz_var(resources);
  fz_var(page);
  fz_try(ctx) {
    resources = pdf_new_dict(ctx, doc, 1);
    contents = fz_new_buffer(ctx, 128);
    if (render != nullptr && !render->empty()) {
      fz_colorspace* cs = render->channels == 1 ? fz_device_gray(ctx) : fz_device_rgb(ctx);
      // MuPDF only reads the samples; the pixmap does not outlive this call.
      pix = fz_new_pixmap_with_data(ctx, cs, render->width, render->height, nullptr, 0,
                                    render->stride(),
                                    const_cast<unsigned char*>(render->pixels.data()));
      image = fz_new_image_from_pixmap(ctx, pix, nullptr);
      pdf_obj* xobjects = pdf_dict_put_dict(ctx, resources, PDF_NAME(XObject), 1);
      pdf_dict_puts_drop(ctx, xobjects, "Im0", pdf_add_image(ctx, doc, image));
      fz_append_printf(ctx, contents, "q %g 0 0 %g 0 0 cm /Im0 Do Q\n", width, height);
    }
    page = pdf_add_page(ctx, doc, fz_make_rect(0, 0, width, height), 0, resources, contents);
    pdf_insert_page(ctx, doc, -1, page);
  }
  fz_always(ctx) {
    pdf_drop_obj(ctx, page);
    pdf_drop_obj(ctx, resources);
    fz_drop_buffer(ctx, contents);
    fz_drop_image(ctx, image);
    fz_drop_pixmap(ctx, pix);
  }
  fz_catch(ctx) {
    fz_rethrow(ctx);
  }
}

// One page of the layout PDF drawn from renders: the image page and its boxes. False (the
// message in MuPDF's caught error) when MuPDF fails.
bool add_drawn_page(fz_context* ctx, pdf_document* doc, int index, const Raster* render,
                    PageSize size, const std::vector<BoxSpec>& specs) {
  fz_try(ctx) {
    add_image_page(ctx, doc, render, size.width, size.height);
    if (!specs.empty()) annotate_page(ctx, doc, index, specs);
  }
  fz_catch(ctx) {
    return false;
  }
  return true;
}

bool save(fz_context* ctx, pdf_document* doc, const char* path) {
  fz_try(ctx) {
    pdf_write_options opts = pdf_default_write_options;
    opts.do_compress = 1;  // the renders are raw pixels
    pdf_save_document(ctx, doc, path, &opts);
  }
  fz_catch(ctx) {
    return false;
  }
  return true;
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
  int objects = 0;
  fz_var(objects);
  fz_try(ctx) {
    doc = pdf_open_document(ctx, input.c_str());
    if (pdf_needs_password(ctx, doc)) pdf_authenticate_password(ctx, doc, "");
    objects = pdf_xref_len(ctx, doc);
    if (objects > kMaxRewrittenObjects) fz_throw(ctx, FZ_ERROR_GENERIC, "too many objects");
    const int count = pdf_count_pages(ctx, doc);
    for (size_t i = 0; i < pages.size(); ++i) {
      // Failed pages have no boxes, and loading them may fail again: they are left as they are.
      if (pages[i].page_index < count && !specs[i].empty()) {
        annotate_page(ctx, doc, pages[i].page_index, specs[i]);
      }
    }
    repair_stream_lengths(ctx, doc);
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
    if (objects > kMaxRewrittenObjects) {
      return fail(ErrorCode::kTooLarge,
                  fmt::format("the PDF has {} objects, more than layout.pdf is written into the "
                              "original for ({})",
                              objects, kMaxRewrittenObjects));
    }
    return fail(ErrorCode::kCorrupt,
                fmt::format("cannot write the layout PDF: {}", fz_caught_message(ctx)));
  }
  return {};
}

Status write_layout_pdf_from_renders(const std::filesystem::path& input,
                                     std::span<const PageResult> pages,
                                     const std::filesystem::path& output, int dpi,
                                     long long max_pixels) {
  auto mctx = MupdfContext::create();
  if (!mctx) return std::unexpected(mctx.error());
  // Renders come from the input when it opens at all, drawn one page at a time: only one is
  // held at once.
  auto source = PdfDocument::open(*mctx, input);
  fz_context* ctx = mctx->get();
  pdf_document* doc = nullptr;
  fz_var(doc);
  fz_try(ctx) {
    doc = pdf_create_document(ctx);
  }
  fz_catch(ctx) {
    return fail(ErrorCode::kInternal,
                fmt::format("cannot create the layout PDF: {}", fz_caught_message(ctx)));
  }
  bool failed = false;
  for (size_t i = 0; i < pages.size() && !failed; ++i) {
    // The size the page model used (the boxes are in it); A4 for a page never measured.
    const PageSize size = pages[i].width > 0 && pages[i].height > 0
                              ? PageSize{pages[i].width, pages[i].height}
                              : PageSize{595, 842};
    Result<Raster> render = fail(ErrorCode::kCorrupt, "the input cannot be opened");
    if (source) render = source->render(pages[i].page_index, dpi, 3, max_pixels);
    const Raster* image = render && !render->empty() ? &*render : nullptr;
    failed = !add_drawn_page(ctx, doc, static_cast<int>(i), image, size, box_specs(pages[i]));
  }
  const std::string out = output.string();
  if (!failed) failed = !save(ctx, doc, out.c_str());
  std::string message = failed ? fz_caught_message(ctx) : "";
  pdf_drop_document(ctx, doc);
  if (failed) {
    return fail(ErrorCode::kCorrupt,
                fmt::format("cannot write the layout PDF from page renders: {}", message));
  }
  return {};
}

}  // namespace docmill
