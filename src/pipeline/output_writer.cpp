#include "pipeline/output_writer.h"

#include <fmt/format.h>

#include "core/files.h"
#include "core/utf8.h"
#include "pdf/layout_pdf_writer.h"
#include "pipeline/page_limits.h"
#include "render/markdown.h"

namespace docmill {

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
  // searchable.pdf: written by write_searchable_pdf (lead's change)
  if (!outputs.layout_pdf) return warnings;
  // Written beside, then renamed: a crash never leaves half a PDF under the final name.
  const auto tmp = out_dir / (std::string(kLayoutPdfFile) + ".tmp");
  const auto from_renders = [&] {
    return write_layout_pdf_from_renders(input_pdf, pages, tmp, kLayoutRenderDpi,
                                         PageLimits{}.max_render_pixels);
  };
  if (source == LayoutPdfSource::kRenders) {
    if (auto ok = from_renders(); !ok) return std::unexpected(ok.error());
    warnings.push_back(fmt::format(
        "layout.pdf is drawn on page renders at {} dpi: writing it into the original PDF failed "
        "in an earlier attempt",
        kLayoutRenderDpi));
  } else if (auto ok = write_layout_pdf(input_pdf, pages, tmp); !ok) {
    // The text was read; a file MuPDF cannot write back out still gets its layout PDF.
    if (auto drawn = from_renders(); !drawn) return std::unexpected(drawn.error());
    warnings.push_back(valid_utf8(fmt::format(
        "layout.pdf is drawn on page renders at {} dpi because it could not be written into the "
        "original ({})",
        kLayoutRenderDpi, ok.error().message)));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, out_dir / kLayoutPdfFile, ec);
  if (ec) return fail(ErrorCode::kIo, "cannot write layout.pdf: " + ec.message());
  return warnings;
}

}  // namespace docmill
