#include "pdf/searchable_pdf_writer.h"

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>
#include <zlib.h>

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/utf8.h"
#include "pdf/mupdf_context.h"
#include "pdf/stream_lengths.h"

namespace docmill {
namespace {

// The resource name of the font on each page: not a name a PDF producer would choose.
constexpr const char* kFontResource = "DocmillOcrText";

// The font's advance for every code, in thousandths of an em (Tesseract's pdf.ttf has one
// glyph, 500 units wide), and where a glyph box sits against the baseline: a word's box runs
// from its line's top (ascent) to its bottom (descent).
constexpr float kAdvance = 0.5f;
constexpr float kAscent = 0.8f;
constexpr float kDescent = 0.2f;

// Maps every character code to Unicode code units as they are: words are written in UTF-16.
constexpr std::string_view kToUnicode =
    "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
    "1 beginbfrange\n<0000> <FFFF> <0000>\nendbfrange\n"
    "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";

// `data` deflated; empty when zlib fails (it does not for in-memory input of this size).
std::string deflated(std::string_view data) {
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                reinterpret_cast<const Bytef*>(data.data()), static_cast<uLong>(data.size()),
                Z_BEST_COMPRESSION) != Z_OK) {
    return {};
  }
  out.resize(size);
  return out;
}

// A new stream object holding `data`, deflated where that works; `dict` (may be null) gives its
// other entries. Returns the indirect reference.
pdf_obj* add_stream(fz_context* ctx, pdf_document* doc, std::string_view data,
                    pdf_obj* given_dict) {
  const std::string packed = deflated(data);
  const std::string_view body = packed.empty() ? data : std::string_view(packed);
  fz_buffer* buf = fz_new_buffer_from_copied_data(
      ctx, reinterpret_cast<const unsigned char*>(body.data()), body.size());
  pdf_obj* dict = nullptr;
  pdf_obj* ref = nullptr;
  fz_var(dict);
  fz_var(ref);
  fz_try(ctx) {
    dict = given_dict ? pdf_keep_obj(ctx, given_dict) : pdf_new_dict(ctx, doc, 2);
    if (!packed.empty()) pdf_dict_put(ctx, dict, PDF_NAME(Filter), PDF_NAME(FlateDecode));
    ref = pdf_add_stream(ctx, doc, buf, dict, !packed.empty());
  }
  fz_always(ctx) {
    pdf_drop_obj(ctx, dict);
    fz_drop_buffer(ctx, buf);
  }
  fz_catch(ctx) {
    fz_rethrow(ctx);
  }
  return ref;
}

// The glyph-less Type0 font (Identity-H, every CID drawn with glyph 1, ToUnicode the identity),
// the way Tesseract's and OCRmyPDF's renderers set invisible text. Returns its reference.
pdf_obj* add_glyphless_font(fz_context* ctx, pdf_document* doc, std::string_view ttf) {
  pdf_obj* font = nullptr;
  pdf_obj* cid = nullptr;
  pdf_obj* desc = nullptr;
  pdf_obj* file_dict = nullptr;
  pdf_obj* ref = nullptr;
  fz_var(ref);
  fz_var(font);
  fz_var(cid);
  fz_var(desc);
  fz_var(file_dict);
  fz_try(ctx) {
    file_dict = pdf_new_dict(ctx, doc, 2);
    pdf_dict_put_int(ctx, file_dict, PDF_NAME(Length1), static_cast<int64_t>(ttf.size()));
    pdf_obj* file = add_stream(ctx, doc, ttf, file_dict);

    desc = pdf_new_dict(ctx, doc, 10);
    pdf_dict_put(ctx, desc, PDF_NAME(Type), PDF_NAME(FontDescriptor));
    pdf_dict_put_name(ctx, desc, PDF_NAME(FontName), "GlyphLessFont");
    pdf_dict_put_int(ctx, desc, PDF_NAME(Flags), 5);  // fixed pitch, symbolic
    pdf_dict_put_rect(ctx, desc, PDF_NAME(FontBBox),
                      fz_make_rect(0, -kDescent * 1000, kAdvance * 1000, kAscent * 1000));
    pdf_dict_put_int(ctx, desc, PDF_NAME(ItalicAngle), 0);
    pdf_dict_put_real(ctx, desc, PDF_NAME(Ascent), kAscent * 1000);
    pdf_dict_put_real(ctx, desc, PDF_NAME(Descent), -kDescent * 1000);
    pdf_dict_put_real(ctx, desc, PDF_NAME(CapHeight), kAscent * 1000);
    pdf_dict_put_int(ctx, desc, PDF_NAME(StemV), 80);
    pdf_dict_put_drop(ctx, desc, PDF_NAME(FontFile2), file);

    // CID -> GID: every one of the 65,536 codes to glyph 1.
    std::string map(2 * 65536, '\0');
    for (size_t i = 1; i < map.size(); i += 2) map[i] = '\1';
    pdf_obj* cid_to_gid = add_stream(ctx, doc, map, nullptr);

    cid = pdf_new_dict(ctx, doc, 8);
    pdf_dict_put(ctx, cid, PDF_NAME(Type), PDF_NAME(Font));
    pdf_dict_put(ctx, cid, PDF_NAME(Subtype), PDF_NAME(CIDFontType2));
    pdf_dict_put_name(ctx, cid, PDF_NAME(BaseFont), "GlyphLessFont");
    pdf_obj* info = pdf_dict_put_dict(ctx, cid, PDF_NAME(CIDSystemInfo), 3);
    pdf_dict_put_string(ctx, info, PDF_NAME(Registry), "Adobe", 5);
    pdf_dict_put_string(ctx, info, PDF_NAME(Ordering), "Identity", 8);
    pdf_dict_put_int(ctx, info, PDF_NAME(Supplement), 0);
    pdf_dict_put_drop(ctx, cid, PDF_NAME(FontDescriptor), pdf_add_object(ctx, doc, desc));
    pdf_dict_put_int(ctx, cid, PDF_NAME(DW), static_cast<int64_t>(kAdvance * 1000));
    pdf_dict_put_drop(ctx, cid, PDF_NAME(CIDToGIDMap), cid_to_gid);

    font = pdf_new_dict(ctx, doc, 6);
    pdf_dict_put(ctx, font, PDF_NAME(Type), PDF_NAME(Font));
    pdf_dict_put(ctx, font, PDF_NAME(Subtype), PDF_NAME(Type0));
    pdf_dict_put_name(ctx, font, PDF_NAME(BaseFont), "GlyphLessFont");
    pdf_dict_put(ctx, font, PDF_NAME(Encoding), PDF_NAME(Identity_H));
    pdf_obj* descendants = pdf_dict_put_array(ctx, font, PDF_NAME(DescendantFonts), 1);
    pdf_array_push_drop(ctx, descendants, pdf_add_object(ctx, doc, cid));
    pdf_dict_put_drop(ctx, font, PDF_NAME(ToUnicode), add_stream(ctx, doc, kToUnicode, nullptr));
    ref = pdf_add_object(ctx, doc, font);
  }
  fz_always(ctx) {
    pdf_drop_obj(ctx, font);
    pdf_drop_obj(ctx, cid);
    pdf_drop_obj(ctx, desc);
    pdf_drop_obj(ctx, file_dict);
  }
  fz_catch(ctx) {
    fz_rethrow(ctx);
  }
  return ref;
}

// A word as the font's codes: UTF-16 code units in hex (characters beyond the BMP as surrogate
// pairs), control characters left out. `units` is how many codes it has.
std::string utf16_hex(std::string_view text, int& units) {
  std::string hex;
  units = 0;
  const auto put = [&](unsigned unit) {
    hex += fmt::format("{:04X}", unit);
    ++units;
  };
  for (const char32_t cp : code_points(text)) {
    if (cp < 0x20 || cp == 0x7F) continue;
    if (cp > 0xFFFF) {
      const char32_t v = cp - 0x10000;
      put(0xD800 + (v >> 10));
      put(0xDC00 + (v & 0x3FF));
    } else {
      put(cp);
    }
  }
  return hex;
}

// Maps the upright frame OCR read in (the page turned clockwise by `rotation`; `w` x `h` points)
// back to the page's own frame, as the page model's boxes are.
fz_matrix upright_to_page(int rotation, float w, float h) {
  switch (rotation) {
    case 90:
      return {0, -1, 1, 0, 0, w};
    case 180:
      return {-1, 0, 0, -1, w, h};
    case 270:
      return {0, 1, -1, 0, h, 0};
    default:
      return fz_identity;
  }
}

// The content stream of one page's text layer. `to_pdf` maps the upright frame (y down) to the
// page's PDF user space; each word is placed by its own text matrix (flipped back upright), on
// its line's baseline, its size the line's height, stretched to the width of its box. Between
// two words of a line a space is stretched over the gap, as OCRmyPDF's renderer does: a
// text extractor then sees one line of words with spaces, not words a column apart (pdftotext
// broke a title's words into separate blocks when the gaps were left empty).
std::string text_layer_ops(const std::vector<OcrLine>& lines, fz_matrix to_pdf) {
  std::string ops = fmt::format("q {:.6g} {:.6g} {:.6g} {:.6g} {:.6g} {:.6g} cm\nBT\n3 Tr\n",
                                to_pdf.a, to_pdf.b, to_pdf.c, to_pdf.d, to_pdf.e, to_pdf.f);
  const auto stretch = [](float width, int units, float size) {
    return 100.f * width / (static_cast<float>(units) * kAdvance * size);
  };
  for (const auto& line : lines) {
    const float size = line.box.height();
    if (size <= 0 || line.words.empty()) continue;
    const float baseline = line.box.y1 - kDescent * size;
    ops += fmt::format("/{} {:.2f} Tf\n", kFontResource, size);
    for (size_t i = 0; i < line.words.size(); ++i) {
      const auto& word = line.words[i];
      int units = 0;
      const std::string hex = utf16_hex(word.text, units);
      if (units == 0 || word.box.width() <= 0) continue;
      ops += fmt::format("{:.2f} Tz 1 0 0 -1 {:.2f} {:.2f} Tm <{}> Tj\n",
                         stretch(word.box.width(), units, size), word.box.x0, baseline, hex);
      if (i + 1 < line.words.size()) {
        // A gap of nothing (touching or overlapping boxes) still gets a sliver of a space.
        const float gap = std::max(line.words[i + 1].box.x0 - word.box.x1, 0.05f * size);
        ops += fmt::format("{:.2f} Tz <0020> Tj\n", stretch(gap, 1, size));
      }
    }
  }
  ops += "ET\nQ\n";
  return ops;
}

// Adds the text layer to one page: its own content is wrapped in q/Q (whatever state it leaves
// does not reach the layer), the layer drawn after it, and the font put in its resources.
void add_text_layer(fz_context* ctx, pdf_document* doc, const PageResult& page, pdf_obj* font) {
  pdf_obj* page_obj = pdf_lookup_page_obj(ctx, doc, page.page_index);
  fz_matrix ctm;
  pdf_page_obj_transform(ctx, page_obj, nullptr, &ctm);
  const bool turned = page.rotation == 90 || page.rotation == 270;
  const fz_matrix to_pdf =
      fz_concat(upright_to_page(page.rotation, turned ? page.height : page.width,
                                turned ? page.width : page.height),
                fz_invert_matrix(ctm));
  const std::string ops = text_layer_ops(page.ocr_lines, to_pdf);

  // Resources of its own (a copy of those it inherits or shares), with the font added.
  pdf_obj* resources = pdf_dict_get_inheritable(ctx, page_obj, PDF_NAME(Resources));
  resources = resources ? pdf_copy_dict(ctx, resources) : pdf_new_dict(ctx, doc, 1);
  pdf_dict_put_drop(ctx, page_obj, PDF_NAME(Resources), resources);
  pdf_obj* fonts = pdf_dict_get(ctx, resources, PDF_NAME(Font));
  fonts = fonts ? pdf_copy_dict(ctx, fonts) : pdf_new_dict(ctx, doc, 1);
  pdf_dict_put_drop(ctx, resources, PDF_NAME(Font), fonts);
  pdf_dict_puts(ctx, fonts, kFontResource, font);

  pdf_obj* contents = pdf_dict_get(ctx, page_obj, PDF_NAME(Contents));
  pdf_obj* wrapped = pdf_new_array(ctx, doc, 3);
  fz_try(ctx) {
    pdf_array_push_drop(ctx, wrapped, add_stream(ctx, doc, "q\n", nullptr));
    if (pdf_is_array(ctx, contents)) {
      for (int i = 0; i < pdf_array_len(ctx, contents); ++i) {
        pdf_array_push(ctx, wrapped, pdf_array_get(ctx, contents, i));
      }
    } else if (contents != nullptr) {
      pdf_array_push(ctx, wrapped, contents);
    }
    pdf_array_push_drop(ctx, wrapped, add_stream(ctx, doc, "\nQ\n" + ops, nullptr));
    pdf_dict_put(ctx, page_obj, PDF_NAME(Contents), wrapped);
  }
  fz_always(ctx) {
    pdf_drop_obj(ctx, wrapped);
  }
  fz_catch(ctx) {
    fz_rethrow(ctx);
  }
}

// Pages read by OCR, or by a model from a scan (their words placed as estimated), carry
// `ocr_lines`; text-layer pages never do.
bool takes_text_layer(const PageResult& p) {
  return (p.method == ReadMethod::kOcr || p.method == ReadMethod::kVlm) && !p.ocr_lines.empty();
}

}  // namespace

Status write_searchable_pdf(const std::filesystem::path& input, std::span<const PageResult> pages,
                            std::string_view font, const std::filesystem::path& output) {
  bool any = false;
  for (const auto& p : pages) any = any || (takes_text_layer(p));
  // Nothing to add: the input itself, byte for byte.
  std::error_code ec;
  std::filesystem::copy_file(input, output, std::filesystem::copy_options::overwrite_existing, ec);
  if (ec) {
    return fail(ErrorCode::kIo,
                fmt::format("cannot write {}: {}", output.filename().string(), ec.message()));
  }
  if (!any) return {};

  auto mctx = MupdfContext::create();
  if (!mctx) return std::unexpected(mctx.error());
  fz_context* ctx = mctx->get();
  pdf_document* doc = nullptr;
  pdf_obj* font_ref = nullptr;
  fz_var(doc);
  fz_var(font_ref);
  const std::string out = output.string();
  int objects = 0;
  fz_var(objects);
  fz_try(ctx) {
    doc = pdf_open_document(ctx, input.c_str());
    if (pdf_needs_password(ctx, doc)) pdf_authenticate_password(ctx, doc, "");
    const bool incremental = pdf_can_be_saved_incrementally(ctx, doc);
    objects = pdf_xref_len(ctx, doc);
    if (!incremental && objects > kMaxRewrittenObjects) {
      fz_throw(ctx, FZ_ERROR_GENERIC, "too many objects");
    }
    font_ref = add_glyphless_font(ctx, doc, font);
    const int count = pdf_count_pages(ctx, doc);
    for (const auto& p : pages) {
      if (takes_text_layer(p) && p.page_index < count) {
        add_text_layer(ctx, doc, p, font_ref);
      }
    }
    pdf_write_options opts = pdf_default_write_options;
    if (incremental) {
      // Appended to the copy of the input made above: the original's bytes stay as they were.
      opts.do_incremental = 1;
    } else {
      // A damaged file MuPDF repaired is written out whole, its streams as they were.
      repair_stream_lengths(ctx, doc);
      opts.do_compress = 0;
    }
    pdf_save_document(ctx, doc, out.c_str(), &opts);
  }
  fz_always(ctx) {
    pdf_drop_obj(ctx, font_ref);
    pdf_drop_document(ctx, doc);
  }
  fz_catch(ctx) {
    std::filesystem::remove(output, ec);
    if (objects > kMaxRewrittenObjects) {
      return fail(ErrorCode::kTooLarge,
                  fmt::format("the PDF has {} objects and cannot be updated in place; more than "
                              "searchable.pdf rewrites ({})",
                              objects, kMaxRewrittenObjects));
    }
    return fail(ErrorCode::kCorrupt,
                fmt::format("cannot write searchable.pdf: {}", fz_caught_message(ctx)));
  }
  return {};
}

}  // namespace docmill
