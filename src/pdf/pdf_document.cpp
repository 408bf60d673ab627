#include "pdf/pdf_document.h"

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include <array>
#include <atomic>
#include <cmath>
#include <fstream>
#include <map>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "core/utf8.h"
#include "layout/math_font.h"

namespace docmill {
namespace {

// Glyphs that carry no text: the replacement character, private-use code points (fonts
// without a ToUnicode map often land there) and control characters.
// Surrogates (a ToUnicode map to half a UTF-16 pair) are no characters at all.
bool is_unmapped(int c) {
  return c == 0xFFFD || (c >= 0xE000 && c <= 0xF8FF) || (c >= 0xD800 && c <= 0xDFFF) ||
         (c < 0x20 && c != '\t');
}

void append_utf8(std::string& s, int c) {
  char buf[8];
  const int n = fz_runetochar(buf, c);
  s.append(buf, n);
}

bool font_is_bold(fz_context* ctx, fz_font* font) {
  if (font == nullptr) return false;
  if (fz_font_is_bold(ctx, font)) return true;
  const std::string_view name = fz_font_name(ctx, font);
  // TeX's bold fonts (CMBX, SFBX, ...) and names that say so.
  return name.find("Bold") != std::string_view::npos ||
         name.find("bold") != std::string_view::npos ||
         name.find("Black") != std::string_view::npos ||
         name.find("Heavy") != std::string_view::npos ||
         name.find("BX") != std::string_view::npos ||
         name.find("Semibold") != std::string_view::npos;
}

bool font_is_italic(fz_context* ctx, fz_font* font) {
  if (font == nullptr) return false;
  if (fz_font_is_italic(ctx, font)) return true;
  const std::string_view name = fz_font_name(ctx, font);
  return name.find("Italic") != std::string_view::npos ||
         name.find("Oblique") != std::string_view::npos ||
         name.find("CMTI") != std::string_view::npos;
}

bool font_is_mono(fz_context* ctx, fz_font* font) {
  if (font == nullptr) return false;
  if (fz_font_is_monospaced(ctx, font)) return true;
  const std::string_view name = fz_font_name(ctx, font);
  return name.find("Mono") != std::string_view::npos ||
         name.find("Courier") != std::string_view::npos ||
         name.find("CMTT") != std::string_view::npos || name.find("SFTT") != std::string_view::npos;
}

// One fz_stext_line as a TextLine: words split at spaces, style by majority of characters.
TextLine convert_line(fz_context* ctx, fz_stext_line* line, int& chars, int& unmapped) {
  TextLine out;
  out.box = {line->bbox.x0, line->bbox.y0, line->bbox.x1, line->bbox.y1};
  std::map<int, int> size_votes;  // font size in tenths of a point -> characters
  int bold = 0, italic = 0, mono = 0, math = 0, n = 0;
  fz_font* math_checked = nullptr;
  bool in_math_font = false;
  std::string word;
  Box word_box;
  auto flush_word = [&] {
    // The font's ToUnicode map decides these bytes: made valid UTF-8 here, where they enter
    // the page model.
    std::string clean = valid_utf8(std::exchange(word, {}));
    if (!clean.empty()) {
      out.words.push_back(std::move(clean));
      out.word_boxes.push_back(word_box);
    }
    word_box = {};
  };
  for (fz_stext_char* ch = line->first_char; ch != nullptr; ch = ch->next) {
    if (ch->c == ' ' || ch->c == '\t' || ch->c == 0xA0) {
      flush_word();
      continue;
    }
    ++chars;
    ++n;
    if (is_unmapped(ch->c)) {
      ++unmapped;
      continue;
    }
    append_utf8(word, ch->c);
    const fz_rect r = fz_rect_from_quad(ch->quad);
    word_box = word_box.united({r.x0, r.y0, r.x1, r.y1});
    size_votes[static_cast<int>(ch->size * 10 + 0.5f)]++;
    bold += font_is_bold(ctx, ch->font);
    italic += font_is_italic(ctx, ch->font);
    mono += font_is_mono(ctx, ch->font);
    if (ch->font != math_checked) {  // runs of one font are common: name it once per run
      math_checked = ch->font;
      in_math_font = ch->font != nullptr && is_math_font(fz_font_name(ctx, ch->font));
    }
    math += in_math_font;
  }
  flush_word();
  int best = 0;
  for (const auto& [size, votes] : size_votes) {
    if (votes > best) {
      best = votes;
      out.size = size / 10.f;
    }
  }
  const int mapped = std::max(1, n);
  out.bold = bold * 2 > mapped;
  out.italic = italic * 2 > mapped;
  out.monospace = mono * 2 > mapped;
  out.math_font_share = static_cast<float>(math) / static_cast<float>(mapped);
  for (const auto& w : out.words) {
    if (!out.text.empty()) out.text += ' ';
    out.text += w;
  }
  return out;
}

// A device that records where vector paths and shadings are drawn (the raw material for
// finding figures that are drawn rather than placed as images), how many glyphs are painted or
// laid out invisibly, and the pixel size of each placed image, none of which decodes anything;
// and passes every call on to `next`, the structured-text device, so that one run of the page's
// content stream gives both (a second run cost about a tenth of a born-digital page's time).
struct DrawingCollector {
  fz_device super;
  TextLayer* layer;
  fz_device* next;
};
constexpr size_t kMaxDrawings = 20000;  // a pathological page must not cost unbounded memory

TextLayer& layer_of(fz_device* dev) {
  return *reinterpret_cast<DrawingCollector*>(dev)->layer;
}

fz_device* next_of(fz_device* dev) {
  return reinterpret_cast<DrawingCollector*>(dev)->next;
}

void collect(fz_device* dev, fz_rect r) {
  auto& boxes = layer_of(dev).drawings;
  if (boxes.size() < kMaxDrawings && !fz_is_empty_rect(r) && !fz_is_infinite_rect(r)) {
    boxes.push_back({r.x0, r.y0, r.x1, r.y1});
  }
}

int glyphs_in(const fz_text* text) {
  int n = 0;
  for (const fz_text_span* span = text->head; span != nullptr; span = span->next) n += span->len;
  return n;
}

void on_fill_text(fz_context* ctx, fz_device* dev, const fz_text* text, fz_matrix ctm,
                  fz_colorspace* cs, const float* color, float alpha, fz_color_params cp) {
  layer_of(dev).painted_glyphs += glyphs_in(text);
  if (fz_device* n = next_of(dev); n->fill_text)
    n->fill_text(ctx, n, text, ctm, cs, color, alpha, cp);
}

void on_stroke_text(fz_context* ctx, fz_device* dev, const fz_text* text,
                    const fz_stroke_state* stroke, fz_matrix ctm, fz_colorspace* cs,
                    const float* color, float alpha, fz_color_params cp) {
  layer_of(dev).painted_glyphs += glyphs_in(text);
  if (fz_device* n = next_of(dev); n->stroke_text) {
    n->stroke_text(ctx, n, text, stroke, ctm, cs, color, alpha, cp);
  }
}

void on_clip_text(fz_context* ctx, fz_device* dev, const fz_text* text, fz_matrix ctm,
                  fz_rect scissor) {
  layer_of(dev).painted_glyphs += glyphs_in(text);
  if (fz_device* n = next_of(dev); n->clip_text) n->clip_text(ctx, n, text, ctm, scissor);
}

void on_clip_stroke_text(fz_context* ctx, fz_device* dev, const fz_text* text,
                         const fz_stroke_state* stroke, fz_matrix ctm, fz_rect scissor) {
  layer_of(dev).painted_glyphs += glyphs_in(text);
  if (fz_device* n = next_of(dev); n->clip_stroke_text) {
    n->clip_stroke_text(ctx, n, text, stroke, ctm, scissor);
  }
}

// Text render mode 3 (neither filled nor stroked) reaches a device here.
void on_ignore_text(fz_context* ctx, fz_device* dev, const fz_text* text, fz_matrix ctm) {
  layer_of(dev).invisible_glyphs += glyphs_in(text);
  if (fz_device* n = next_of(dev); n->ignore_text) n->ignore_text(ctx, n, text, ctm);
}

constexpr size_t kMaxPlacedImages = 2000;

void place_image(fz_device* dev, const fz_image* image, fz_matrix ctm) {
  auto& images = layer_of(dev).placed_images;
  const fz_rect r = fz_transform_rect(fz_unit_rect, ctm);
  if (images.size() >= kMaxPlacedImages || fz_is_empty_rect(r) || fz_is_infinite_rect(r)) return;
  images.push_back(
      {{r.x0, r.y0, r.x1, r.y1}, image->w, image->h, image->bpc == 1 && image->n <= 1});
}

void on_fill_image(fz_context* ctx, fz_device* dev, fz_image* image, fz_matrix ctm, float alpha,
                   fz_color_params cp) {
  place_image(dev, image, ctm);
  if (fz_device* n = next_of(dev); n->fill_image) n->fill_image(ctx, n, image, ctm, alpha, cp);
}

void on_fill_image_mask(fz_context* ctx, fz_device* dev, fz_image* image, fz_matrix ctm,
                        fz_colorspace* cs, const float* color, float alpha, fz_color_params cp) {
  place_image(dev, image, ctm);
  if (fz_device* n = next_of(dev); n->fill_image_mask) {
    n->fill_image_mask(ctx, n, image, ctm, cs, color, alpha, cp);
  }
}

bool is_white(fz_context* ctx, fz_colorspace* cs, const float* color) {
  if (cs == nullptr || color == nullptr) return false;
  // Gray and RGB white (page and cell backgrounds); other colour spaces are kept.
  const int n = fz_colorspace_is_gray(ctx, cs) ? 1 : fz_colorspace_is_rgb(ctx, cs) ? 3 : 0;
  if (n == 0) return false;
  for (int i = 0; i < n; ++i) {
    if (color[i] < 0.98f) return false;
  }
  return true;
}

void on_fill_path(fz_context* ctx, fz_device* dev, const fz_path* path, int, fz_matrix ctm,
                  fz_colorspace* cs, const float* color, float alpha, fz_color_params) {
  if (alpha > 0 && !is_white(ctx, cs, color)) collect(dev, fz_bound_path(ctx, path, nullptr, ctm));
}

// The straight segments of a stroked path, each bounded on the page with half the line width
// around it: a table drawn as stroked cell rectangles (or one polyline) has its rules in the
// rectangles' sides, which the path's bounds as a whole would hide.
struct SegmentWalk {
  std::vector<Box>* out;
  fz_matrix ctm;
  float half;
  fz_point start{};
  fz_point at{};

  void segment(fz_point to) {
    const fz_point a = fz_transform_point(at, ctm), b = fz_transform_point(to, ctm);
    if (out->size() < kMaxDrawings) {
      out->push_back({std::min(a.x, b.x) - half, std::min(a.y, b.y) - half,
                      std::max(a.x, b.x) + half, std::max(a.y, b.y) + half});
    }
    at = to;
  }
};

SegmentWalk& walk_of(void* arg) {
  return *static_cast<SegmentWalk*>(arg);
}

constexpr fz_path_walker kSegmentWalker = {
    [](fz_context*, void* arg, float x, float y) {
      walk_of(arg).start = walk_of(arg).at = {x, y};
    },
    [](fz_context*, void* arg, float x, float y) {
      walk_of(arg).segment({x, y});
    },
    // A curve is no rule: only its end point matters, as the next segment's start.
    [](fz_context*, void* arg, float, float, float, float, float x, float y) {
      walk_of(arg).at = {x, y};
    },
    [](fz_context*, void* arg) {
      SegmentWalk& w = walk_of(arg);
      if (w.at.x != w.start.x || w.at.y != w.start.y) w.segment(w.start);
    },
    nullptr,  // quadto, curvetov, curvetoy: MuPDF walks them as curveto
    nullptr, nullptr,
    nullptr,  // rectto: walked as moveto, three linetos and closepath
};

void on_stroke_path(fz_context* ctx, fz_device* dev, const fz_path* path,
                    const fz_stroke_state* stroke, fz_matrix ctm, fz_colorspace* cs,
                    const float* color, float alpha, fz_color_params) {
  if (alpha <= 0 || is_white(ctx, cs, color)) return;
  collect(dev, fz_bound_path(ctx, path, stroke, ctm));
  const float half = (stroke != nullptr ? stroke->linewidth : 1.f) * fz_matrix_expansion(ctm) / 2;
  SegmentWalk walk{&layer_of(dev).strokes, ctm, half};
  fz_walk_path(ctx, path, &kSegmentWalker, &walk);
}

void on_fill_shade(fz_context* ctx, fz_device* dev, fz_shade* shade, fz_matrix ctm, float alpha,
                   fz_color_params cp) {
  collect(dev, fz_bound_shade(ctx, shade, ctm));
  if (fz_device* n = next_of(dev); n->fill_shade) n->fill_shade(ctx, n, shade, ctm, alpha, cp);
}

// MuPDF's message (which may quote bytes of the file) as a one-line, valid UTF-8 error. An
// allocation MuPDF could not make fails the call, named as such; an abort requested through a
// cookie is a cancellation.
Error caught(fz_context* ctx, ErrorCode code, std::string_view what) {
  const int kind = fz_caught(ctx);
  if (kind == FZ_ERROR_ABORT) return Error{ErrorCode::kCancelled, "stopped"};
  std::string message = valid_utf8(fz_caught_message(ctx));
  for (char& c : message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  if (kind == FZ_ERROR_MEMORY) {
    return Error{code, fmt::format("{}: MuPDF ran out of memory ({})", what, message)};
  }
  return Error{code, fmt::format("{}: {}", what, message)};
}

// A cookie whose abort flag is raised when `stop` is requested: MuPDF's interpreter polls it
// between operators, so even a page that would draw forever gives up. Declared before the
// work and outliving it; not movable (the callback holds its address).
class AbortOnStop {
 public:
  explicit AbortOnStop(std::stop_token stop) : on_stop_(std::move(stop), Raise{&cookie_}) {}
  AbortOnStop(const AbortOnStop&) = delete;
  AbortOnStop& operator=(const AbortOnStop&) = delete;
  fz_cookie* cookie() { return &cookie_; }

 private:
  struct Raise {
    fz_cookie* cookie;
    void operator()() const noexcept { std::atomic_ref<int>(cookie->abort).store(1); }
  };
  fz_cookie cookie_{};
  std::stop_callback<Raise> on_stop_;
};

// A trailer that lost its /Root: the catalog is usually still in the file. The first object
// that says /Type /Catalog becomes the root. Objects that cannot be read are skipped.
void recover_catalog(fz_context* ctx, pdf_document* doc) {
  if (pdf_is_dict(ctx, pdf_dict_get(ctx, pdf_trailer(ctx, doc), PDF_NAME(Root)))) return;
  const int count = pdf_xref_len(ctx, doc);
  for (int num = 1; num < count; ++num) {
    bool found = false;
    fz_var(found);
    fz_try(ctx) {
      pdf_obj* obj = pdf_load_object(ctx, doc, num);
      found = pdf_name_eq(ctx, pdf_dict_get(ctx, obj, PDF_NAME(Type)), PDF_NAME(Catalog));
      pdf_drop_obj(ctx, obj);
      if (found) {
        pdf_dict_put_drop(ctx, pdf_trailer(ctx, doc), PDF_NAME(Root),
                          pdf_new_indirect(ctx, doc, num, 0));
      }
    }
    fz_catch(ctx) {
      found = false;
    }
    if (found) return;
  }
}

// True when the collector passes on every callback `next` has: one beyond those it knows would
// never be called. MuPDF 1.21's structured-text device has none; a MuPDF that adds one fails
// every text layer loudly (and the whole test suite with it) rather than read pages quietly
// short.
bool forwards_all(const fz_device* next) {
  return next->fill_path == nullptr && next->stroke_path == nullptr && next->clip_path == nullptr &&
         next->clip_stroke_path == nullptr && next->clip_image_mask == nullptr &&
         next->pop_clip == nullptr && next->begin_mask == nullptr && next->end_mask == nullptr &&
         next->begin_group == nullptr && next->end_group == nullptr &&
         next->begin_tile == nullptr && next->end_tile == nullptr &&
         next->render_flags == nullptr && next->set_default_colorspaces == nullptr &&
         next->begin_layer == nullptr && next->end_layer == nullptr;
}

// Runs the page once through the drawing collector, which records into `layer` and passes
// everything on to a structured-text device filling `stext`; rethrows MuPDF's error, with
// `stext` and `layer` holding what was read before it.
void read_stext(fz_context* ctx, fz_page* page, fz_stext_page* stext, int flags, TextLayer& layer,
                fz_cookie* cookie) {
  fz_stext_options opts{};
  opts.flags = flags;
  fz_device* text_dev = fz_new_stext_device(ctx, stext, &opts);
  fz_device* dev = nullptr;
  fz_var(dev);
  fz_try(ctx) {
    if (!forwards_all(text_dev)) {
      fz_throw(ctx, FZ_ERROR_GENERIC,
               "this MuPDF's structured-text device takes calls docmill does not pass on");
    }
    dev = fz_new_device_of_size(ctx, sizeof(DrawingCollector));
    auto* collector = reinterpret_cast<DrawingCollector*>(dev);
    collector->layer = &layer;
    collector->next = text_dev;
    dev->hints = text_dev->hints;
    dev->fill_path = on_fill_path;
    dev->stroke_path = on_stroke_path;
    dev->fill_shade = on_fill_shade;
    dev->fill_text = on_fill_text;
    dev->stroke_text = on_stroke_text;
    dev->clip_text = on_clip_text;
    dev->clip_stroke_text = on_clip_stroke_text;
    dev->ignore_text = on_ignore_text;
    dev->fill_image = on_fill_image;
    dev->fill_image_mask = on_fill_image_mask;
    fz_run_page(ctx, page, dev, fz_identity, cookie);
    fz_close_device(ctx, dev);
    fz_close_device(ctx, text_dev);
  }
  fz_always(ctx) {
    fz_drop_device(ctx, dev);
    fz_drop_device(ctx, text_dev);
  }
  fz_catch(ctx) {
    fz_rethrow(ctx);
  }
}

// What the collector records, forgotten: a run that failed part way is run again, or its
// drawings are not to be trusted.
void forget_drawings(TextLayer& layer) {
  layer.drawings.clear();
  layer.strokes.clear();
  layer.painted_glyphs = 0;
  layer.invisible_glyphs = 0;
  layer.placed_images.clear();
}

// read_stext, false (MuPDF's message in its caught error) when it failed.
bool try_read_stext(fz_context* ctx, fz_page* page, fz_stext_page* stext, int flags,
                    TextLayer& layer, fz_cookie* cookie) {
  forget_drawings(layer);
  fz_try(ctx) {
    read_stext(ctx, page, stext, flags, layer, cookie);
  }
  fz_catch(ctx) {
    return false;
  }
  return true;
}

Error stopped() {
  return Error{ErrorCode::kCancelled, "stopped"};
}

}  // namespace

Result<bool> has_pdf_signature(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kIo, fmt::format("cannot read {}", path.string()));
  std::array<char, 1024> head{};
  in.read(head.data(), head.size());
  const std::string_view s(head.data(), static_cast<size_t>(in.gcount()));
  return s.find("%PDF-") != std::string_view::npos;
}

Result<PdfDocument> PdfDocument::open(MupdfContext& mctx, const std::filesystem::path& path) {
  auto sig = has_pdf_signature(path);
  if (!sig) return std::unexpected(sig.error());
  if (!*sig) {
    return fail(ErrorCode::kNotPdf,
                "the file is not a PDF (it does not start with %PDF-); send the PDF itself");
  }
  fz_context* ctx = mctx.get();
  pdf_document* doc = nullptr;
  int pages = 0;
  bool repaired = false;
  bool needs_password = false;
  fz_var(doc);
  fz_var(pages);
  fz_var(repaired);
  fz_var(needs_password);
  fz_try(ctx) {
    doc = pdf_open_document(ctx, path.c_str());
    if (pdf_needs_password(ctx, doc) && !pdf_authenticate_password(ctx, doc, "")) {
      needs_password = true;
    } else {
      // The page tree's /Count as the file states it: no page is looked at here. Pages a
      // repair lost fail one at a time (check_present), and the caller's page limit keeps
      // a tree that claims a billion pages from costing anything per page.
      pages = pdf_count_pages(ctx, doc);
      // A cross-reference table that points nowhere (all offsets 0, a trailer without /Root)
      // can leave the catalog unreachable without MuPDF repairing on its own: the page tree
      // then reads as empty. The objects are usually all there; a repair finds them.
      // A page tree that is there and says /Count 0 is an empty document, not a broken one.
      const bool tree_found =
          pdf_is_dict(ctx, pdf_dict_getp(ctx, pdf_trailer(ctx, doc), "Root/Pages"));
      if (pages <= 0 && !tree_found && !pdf_was_repaired(ctx, doc)) {
        pdf_repair_xref(ctx, doc);
        pages = pdf_count_pages(ctx, doc);
      }
      if (pages <= 0 && !tree_found) {
        recover_catalog(ctx, doc);
        pages = pdf_count_pages(ctx, doc);
      }
      repaired = pdf_was_repaired(ctx, doc);
    }
  }
  fz_catch(ctx) {
    const Error err = caught(ctx, ErrorCode::kCorrupt, "the PDF is damaged and cannot be read");
    if (doc != nullptr) pdf_drop_document(ctx, doc);
    return std::unexpected(err);
  }
  mctx.take_warnings();  // repairs on open are normal; page warnings are what we report
  if (needs_password) {
    pdf_drop_document(ctx, doc);
    return fail(ErrorCode::kEncrypted,
                "the PDF is encrypted and needs a password; remove the password (for example with "
                "`qpdf --decrypt --password=... in.pdf out.pdf`) and send it again");
  }
  if (pages <= 0) {
    pdf_drop_document(ctx, doc);
    if (repaired) {
      return fail(ErrorCode::kCorrupt,
                  "the PDF is damaged or truncated and none of its pages can be read; send the "
                  "complete file");
    }
    return fail(ErrorCode::kEmpty, "the PDF has no pages");
  }
  return PdfDocument(&mctx, doc, pages, repaired, path);
}

PdfDocument::PdfDocument(PdfDocument&& other) noexcept
    : ctx_(std::exchange(other.ctx_, nullptr)),
      doc_(std::exchange(other.doc_, nullptr)),
      page_count_(other.page_count_),
      repaired_(other.repaired_),
      path_(std::move(other.path_)),
      flow_(std::move(other.flow_)),
      flow_unavailable_(other.flow_unavailable_) {}

PdfDocument& PdfDocument::operator=(PdfDocument&& other) noexcept {
  if (this != &other) {
    this->~PdfDocument();
    ctx_ = std::exchange(other.ctx_, nullptr);
    doc_ = std::exchange(other.doc_, nullptr);
    page_count_ = other.page_count_;
    repaired_ = other.repaired_;
    path_ = std::move(other.path_);
    flow_ = std::move(other.flow_);
    flow_unavailable_ = other.flow_unavailable_;
  }
  return *this;
}

PdfDocument::~PdfDocument() {
  if (doc_ != nullptr) pdf_drop_document(ctx_->get(), doc_);
}

Result<std::vector<Box>> PdfDocument::reading_flow(int page_index) {
  if (!flow_ && !flow_unavailable_) {
    auto f = TextFlow::open(path_);
    if (f) {
      flow_ = std::move(*f);
    } else {
      flow_unavailable_ = true;  // not tried again for every page
    }
  }
  if (!flow_) return fail(ErrorCode::kUnsupported, "Poppler cannot read the PDF's text flow");
  return flow_->words(page_index);
}

Status PdfDocument::check_present(int page_index) {
  bool present = false;
  if (page_index >= 0 && page_index < page_count_) {
    fz_context* ctx = ctx_->get();
    fz_var(present);
    fz_try(ctx) {
      present = pdf_is_dict(ctx, pdf_lookup_page_obj(ctx, doc_, page_index));
    }
    fz_catch(ctx) {
      present = false;
    }
  }
  if (present) return {};
  // A repaired file keeps its page tree's /Count but may have lost the objects of the pages
  // after the cut; they would otherwise read as blank pages.
  return fail(ErrorCode::kCorrupt, fmt::format("page {} is missing from the damaged or truncated "
                                               "file",
                                               page_index + 1));
}

std::optional<int> PdfDocument::first_present_page(int limit) {
  for (int i = 0; i < std::min(limit, page_count_); ++i) {
    if (check_present(i)) return i;
  }
  return std::nullopt;
}

Result<PageSize> PdfDocument::page_size(int page_index) {
  if (auto ok = check_present(page_index); !ok) return std::unexpected(ok.error());
  fz_context* ctx = ctx_->get();
  fz_page* page = nullptr;
  fz_rect r{};
  fz_var(page);
  fz_try(ctx) {
    page = fz_load_page(ctx, &doc_->super, page_index);
    r = fz_bound_page(ctx, page);
  }
  fz_always(ctx) {
    fz_drop_page(ctx, page);
  }
  fz_catch(ctx) {
    return std::unexpected(caught(ctx, ErrorCode::kCorrupt, "cannot load the page"));
  }
  if (!(r.x1 - r.x0 > 0) || !(r.y1 - r.y0 > 0) || !std::isfinite(r.x1 - r.x0) ||
      !std::isfinite(r.y1 - r.y0)) {
    return fail(ErrorCode::kCorrupt, "the page has an empty or invalid size (MediaBox)");
  }
  return PageSize{r.x1 - r.x0, r.y1 - r.y0};
}

Result<TextLayer> PdfDocument::text_layer(int page_index, std::stop_token stop) {
  if (auto ok = check_present(page_index); !ok) return std::unexpected(ok.error());
  fz_context* ctx = ctx_->get();
  AbortOnStop abort(stop);
  fz_page* page = nullptr;
  fz_stext_page* stext = nullptr;
  std::string first_error;
  bool partial = false;
  fz_var(page);
  fz_var(stext);
  fz_var(partial);
  TextLayer layer;
  // Images give figure boxes; ligatures are split (ﬁ → fi) so words match what people type.
  const int with_images = FZ_STEXT_PRESERVE_IMAGES | FZ_STEXT_MEDIABOX_CLIP;
  fz_try(ctx) {
    page = fz_load_page(ctx, &doc_->super, page_index);
    stext = fz_new_stext_page(ctx, fz_bound_page(ctx, page));
  }
  fz_catch(ctx) {
    fz_drop_page(ctx, page);
    if (stop.stop_requested()) return std::unexpected(stopped());
    return std::unexpected(caught(ctx, ErrorCode::kCorrupt, "cannot read the page's text"));
  }
  if (!try_read_stext(ctx, page, stext, with_images, layer, abort.cookie()) &&
      !stop.stop_requested()) {
    first_error = valid_utf8(fz_caught_message(ctx));
    // Again without images (one claiming 2e9 x 2e9 pixels stops the whole page), into a
    // fresh page; failing that too, what was read before the error is kept.
    fz_stext_page* again = nullptr;
    fz_var(again);
    fz_try(ctx) {
      again = fz_new_stext_page(ctx, fz_bound_page(ctx, page));
    }
    fz_catch(ctx) {
      again = nullptr;
    }
    if (again != nullptr) {
      partial = !try_read_stext(ctx, page, again, FZ_STEXT_MEDIABOX_CLIP, layer, abort.cookie());
      fz_drop_stext_page(ctx, stext);
      stext = again;
    } else {
      partial = true;
    }
    // Drawings of a page read only part way say nothing about the page (nor how its glyphs are
    // painted, nor its images' pixels).
    if (partial) forget_drawings(layer);
  }
  fz_drop_page(ctx, page);
  if (stop.stop_requested()) {
    fz_drop_stext_page(ctx, stext);
    return std::unexpected(stopped());
  }
  if (!first_error.empty()) {
    layer.warnings.push_back(
        partial ? fmt::format("the page's text was read only up to an error: {}", first_error)
                : fmt::format("the page's images were left out of its text: {}", first_error));
  }
  // Walking the already-built structure cannot throw.
  for (fz_stext_block* b = stext->first_block; b != nullptr; b = b->next) {
    if (b->type == FZ_STEXT_BLOCK_IMAGE) {
      layer.images.push_back({b->bbox.x0, b->bbox.y0, b->bbox.x1, b->bbox.y1});
      continue;
    }
    if (b->type != FZ_STEXT_BLOCK_TEXT) continue;
    for (fz_stext_line* l = b->u.t.first_line; l != nullptr; l = l->next) {
      TextLine line = convert_line(ctx, l, layer.chars, layer.unmapped_chars);
      if (!line.words.empty()) layer.lines.push_back(std::move(line));
    }
  }
  fz_drop_stext_page(ctx, stext);
  return layer;
}

Status PdfDocument::read_contents(int page_index, std::stop_token stop) {
  if (auto ok = check_present(page_index); !ok) return std::unexpected(ok.error());
  fz_context* ctx = ctx_->get();
  pdf_page* page = nullptr;
  fz_stream* contents = nullptr;
  bool stopped_early = false;
  fz_var(page);
  fz_var(contents);
  fz_var(stopped_early);
  fz_try(ctx) {
    page = pdf_load_page(ctx, doc_, page_index);
    pdf_obj* obj = pdf_page_contents(ctx, page);
    // No contents (a blank page) is nothing to read; a /Contents array is read as one.
    if (pdf_is_stream(ctx, obj) || pdf_is_array(ctx, obj)) {
      contents = pdf_open_contents_stream(ctx, doc_, obj);
      unsigned char chunk[1 << 16];
      while (fz_read(ctx, contents, chunk, sizeof chunk) > 0) {
        if (stop.stop_requested()) {
          stopped_early = true;
          break;
        }
      }
    }
  }
  fz_always(ctx) {
    fz_drop_stream(ctx, contents);
    fz_drop_page(ctx, page ? &page->super : nullptr);
  }
  fz_catch(ctx) {
    // A stream that cannot be decoded is the interpreter's to report, page by page.
    return {};
  }
  if (stopped_early) return std::unexpected(stopped());
  return {};
}

Result<bool> PdfDocument::has_content(int page_index) {
  if (auto ok = check_present(page_index); !ok) return std::unexpected(ok.error());
  fz_context* ctx = ctx_->get();
  bool content = true;
  int dangling = 0;  // the number of a /Contents object the file does not have
  fz_var(content);
  fz_var(dangling);
  fz_try(ctx) {
    pdf_obj* page = pdf_lookup_page_obj(ctx, doc_, page_index);
    pdf_obj* contents = pdf_dict_get(ctx, page, PDF_NAME(Contents));
    pdf_obj* annots = pdf_dict_get(ctx, page, PDF_NAME(Annots));
    const bool has_annots = pdf_array_len(ctx, annots) > 0;
    // An empty stream only when its /Length says 0 outright; anything odd counts as content.
    const auto is_empty_stream = [&](pdf_obj* s) {
      pdf_obj* length = pdf_resolve_indirect(ctx, pdf_dict_get(ctx, s, PDF_NAME(Length)));
      return pdf_is_int(ctx, length) && pdf_to_int64(ctx, length) == 0;
    };
    if (pdf_is_indirect(ctx, contents) && pdf_is_null(ctx, pdf_resolve_indirect(ctx, contents))) {
      dangling = pdf_to_num(ctx, contents);
    } else if (pdf_is_array(ctx, contents)) {
      bool all_empty = true;
      for (int i = 0; i < pdf_array_len(ctx, contents); ++i) {
        pdf_obj* part = pdf_array_get(ctx, contents, i);
        if (!pdf_is_stream(ctx, part) || !is_empty_stream(part)) all_empty = false;
      }
      content = has_annots || !all_empty;
    } else if (contents == nullptr || pdf_is_null(ctx, contents)) {
      content = has_annots;
    } else {
      content = has_annots || !pdf_is_stream(ctx, contents) || !is_empty_stream(contents);
    }
  }
  fz_catch(ctx) {
    return std::unexpected(caught(ctx, ErrorCode::kCorrupt, "cannot read the page"));
  }
  if (dangling > 0) {
    return fail(
        ErrorCode::kCorrupt,
        fmt::format("the page's content stream (object {}) is missing from the file", dangling));
  }
  return content;
}

Result<Raster> PdfDocument::render(int page_index, double dpi, int channels, long long max_pixels,
                                   std::stop_token stop) {
  auto drawn = draw(page_index, dpi, channels, std::nullopt, max_pixels, stop);
  if (!drawn) return std::unexpected(drawn.error());
  return std::move(drawn->raster);
}

Result<PageArea> PdfDocument::render_area(int page_index, double dpi, Box area,
                                          long long max_pixels, std::stop_token stop) {
  return draw(page_index, dpi, 3, area, max_pixels, stop);
}

Result<PageArea> PdfDocument::draw(int page_index, double dpi, int channels,
                                   std::optional<Box> area, long long max_pixels,
                                   std::stop_token stop) {
  if (auto ok = check_present(page_index); !ok) return std::unexpected(ok.error());
  fz_context* ctx = ctx_->get();
  AbortOnStop abort(stop);
  fz_page* page = nullptr;
  fz_pixmap* pix = nullptr;
  fz_device* dev = nullptr;
  long long pixels = 0;
  bool too_large = false;
  fz_var(page);
  fz_var(pix);
  fz_var(dev);
  fz_var(pixels);
  fz_var(too_large);
  const float zoom = static_cast<float>(dpi) / 72.f;
  const fz_matrix ctm = fz_scale(zoom, zoom);
  fz_try(ctx) {
    page = fz_load_page(ctx, &doc_->super, page_index);
    fz_rect bounds = fz_bound_page(ctx, page);
    if (area)
      bounds = fz_intersect_rect(bounds, fz_make_rect(area->x0, area->y0, area->x1, area->y1));
    const fz_irect box = fz_round_rect(fz_transform_rect(bounds, ctm));
    // Sized before anything is allocated: a page of 14400 x 14400 pt at 300 dpi would be
    // 3.6 G pixels.
    pixels = static_cast<long long>(std::max(0, box.x1 - box.x0)) * std::max(0, box.y1 - box.y0);
    if (pixels > max_pixels || pixels <= 0) {
      too_large = pixels > max_pixels;
    } else {
      fz_colorspace* cs = channels == 1 ? fz_device_gray(ctx) : fz_device_rgb(ctx);
      pix = fz_new_pixmap_with_bbox(ctx, cs, box, nullptr, 0);
      fz_clear_pixmap_with_value(ctx, pix, 0xFF);
      dev = fz_new_draw_device(ctx, ctm, pix);
      fz_run_page(ctx, page, dev, fz_identity, abort.cookie());
      fz_close_device(ctx, dev);
    }
  }
  fz_always(ctx) {
    fz_drop_device(ctx, dev);
    fz_drop_page(ctx, page);
  }
  fz_catch(ctx) {
    fz_drop_pixmap(ctx, pix);
    if (stop.stop_requested()) return std::unexpected(stopped());
    return std::unexpected(caught(ctx, ErrorCode::kCorrupt, "cannot draw the page"));
  }
  if (too_large) {
    return fail(ErrorCode::kTooLarge,
                fmt::format("the page at {:g} dpi would be {} pixels, over the limit of {}", dpi,
                            pixels, max_pixels));
  }
  if (pix == nullptr) {
    if (area) return PageArea{};  // nothing of the page inside it
    return fail(ErrorCode::kCorrupt, "the page has an empty size (MediaBox)");
  }
  if (stop.stop_requested()) {
    fz_drop_pixmap(ctx, pix);
    return std::unexpected(stopped());
  }
  PageArea drawn;
  drawn.x0 = fz_pixmap_x(ctx, pix);
  drawn.y0 = fz_pixmap_y(ctx, pix);
  Raster& r = drawn.raster;
  r.width = fz_pixmap_width(ctx, pix);
  r.height = fz_pixmap_height(ctx, pix);
  r.channels = fz_pixmap_components(ctx, pix);
  const unsigned char* samples = fz_pixmap_samples(ctx, pix);
  const auto src_stride = static_cast<size_t>(fz_pixmap_stride(ctx, pix));
  r.pixels.resize(static_cast<size_t>(r.stride()) * r.height);
  for (int y = 0; y < r.height; ++y) {
    std::copy_n(samples + y * src_stride, r.stride(),
                r.pixels.begin() + static_cast<size_t>(y) * r.stride());
  }
  fz_drop_pixmap(ctx, pix);
  return drawn;
}

// Enough pages to find a readable one in any damaged file worth converting, without walking
// a billion-page tree.
constexpr int kProbedPages = 1000;

Result<int> probe_pdf(const std::filesystem::path& path) {
  auto ctx = MupdfContext::create();
  if (!ctx) return std::unexpected(ctx.error());
  auto doc = PdfDocument::open(*ctx, path);
  if (!doc) return std::unexpected(doc.error());
  if (!doc->first_present_page(kProbedPages)) {
    return fail(ErrorCode::kCorrupt,
                "the PDF is damaged or truncated and none of its pages can be read; send the "
                "complete file");
  }
  return doc->page_count();
}

}  // namespace docmill
