#include "pipeline/output_writer.h"

#include <fmt/format.h>

#include "core/files.h"
#include "core/utf8.h"
#include "ocr/tesseract_engine.h"
#include "pdf/layout_pdf_writer.h"
#include "pdf/searchable_pdf_writer.h"
#include "pipeline/page_limits.h"
#include "render/markdown.h"

namespace docmill {

namespace {

// searchable.pdf, written beside and renamed like layout.pdf; a stale one of an earlier run is
// removed first, so that a failure never leaves an old file under the name.
Status write_searchable(std::span<const PageResult> pages, const std::filesystem::path& input_pdf,
                        const std::filesystem::path& out_dir) {
  std::error_code ec;
  std::filesystem::remove(out_dir / kSearchablePdfFile, ec);
  auto font = read_file(glyphless_font_path());
  if (!font) {
    return fail(ErrorCode::kIo, fmt::format("searchable.pdf is not written: Tesseract's "
                                            "glyph-less font {} cannot be read ({})",
                                            glyphless_font_path().string(), font.error().message));
  }
  const auto tmp = out_dir / (std::string(kSearchablePdfFile) + ".tmp");
  if (auto ok = write_searchable_pdf(input_pdf, pages, *font, tmp); !ok) {
    return fail(ok.error().code, "searchable.pdf is not written: " + ok.error().message);
  }
  std::filesystem::rename(tmp, out_dir / kSearchablePdfFile, ec);
  if (ec) return fail(ErrorCode::kIo, "cannot write searchable.pdf: " + ec.message());
  return {};
}

// layout.pdf, written beside, then renamed: a crash never leaves half a PDF under the final
// name. Why it was drawn from renders, when it was, goes to `warnings`.
Status write_layout(std::span<const PageResult> pages, const std::filesystem::path& input_pdf,
                    const std::filesystem::path& out_dir, LayoutPdfSource source,
                    std::vector<std::string>& warnings) {
  const auto tmp = out_dir / (std::string(kLayoutPdfFile) + ".tmp");
  const auto from_renders = [&] {
    return write_layout_pdf_from_renders(input_pdf, pages, tmp, kLayoutRenderDpi,
                                         PageLimits{}.max_render_pixels);
  };
  if (source == LayoutPdfSource::kRenders) {
    if (auto ok = from_renders(); !ok) return ok;
    warnings.push_back(fmt::format(
        "layout.pdf is drawn on page renders at {} dpi: writing it into the original PDF failed "
        "in an earlier attempt",
        kLayoutRenderDpi));
  } else if (auto ok = write_layout_pdf(input_pdf, pages, tmp); !ok) {
    // The text was read; a file MuPDF cannot write back out still gets its layout PDF.
    if (auto drawn = from_renders(); !drawn) return drawn;
    warnings.push_back(valid_utf8(fmt::format(
        "layout.pdf is drawn on page renders at {} dpi because it could not be written into the "
        "original ({})",
        kLayoutRenderDpi, ok.error().message)));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, out_dir / kLayoutPdfFile, ec);
  if (ec) return fail(ErrorCode::kIo, "cannot write layout.pdf: " + ec.message());
  return {};
}

}  // namespace

Result<std::vector<std::string>> write_outputs(std::span<const PageResult> pages,
                                               const std::filesystem::path& input_pdf,
                                               const std::filesystem::path& out_dir,
                                               LayoutPdfSource source, const OutputSet& outputs) {
  if (outputs.markdown) {
    if (auto ok = write_file_atomic(out_dir / kMarkdownFile, document_markdown(pages) + "\n");
        !ok) {
      return std::unexpected(ok.error());
    }
  }
  if (outputs.markdown_det) {
    if (auto ok =
            write_file_atomic(out_dir / kMarkdownDetFile, document_markdown_det(pages) + "\n");
        !ok) {
      return std::unexpected(ok.error());
    }
  }
  std::vector<std::string> warnings;
  if (outputs.layout_pdf) {
    if (auto ok = write_layout(pages, input_pdf, out_dir, source, warnings); !ok) {
      return std::unexpected(ok.error());
    }
  }
  if (!outputs.searchable_pdf) return warnings;
  if (source == LayoutPdfSource::kRenders) {
    warnings.push_back(
        "searchable.pdf is not written: writing into the original PDF failed in an earlier "
        "attempt");
  } else if (auto ok = write_searchable(pages, input_pdf, out_dir); !ok) {
    warnings.push_back(valid_utf8(ok.error().message));
  }
  return warnings;
}

}  // namespace docmill
