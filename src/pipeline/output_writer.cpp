#include "pipeline/output_writer.h"

#include "core/files.h"
#include "pdf/layout_pdf_writer.h"
#include "render/markdown.h"

namespace docmill {

Status write_outputs(std::span<const PageResult> pages, const std::filesystem::path& input_pdf,
                     const std::filesystem::path& out_dir) {
  if (auto ok = write_file_atomic(out_dir / kMarkdownFile, document_markdown(pages) + "\n"); !ok) {
    return ok;
  }
  if (auto ok = write_file_atomic(out_dir / kMarkdownDetFile, document_markdown_det(pages) + "\n");
      !ok) {
    return ok;
  }
  // Written beside, then renamed: a crash never leaves half a PDF under the final name.
  const auto tmp = out_dir / (std::string(kLayoutPdfFile) + ".tmp");
  if (auto ok = write_layout_pdf(input_pdf, pages, tmp); !ok) return ok;
  std::error_code ec;
  std::filesystem::rename(tmp, out_dir / kLayoutPdfFile, ec);
  if (ec) return fail(ErrorCode::kIo, "cannot write layout.pdf: " + ec.message());
  return {};
}

}  // namespace docmill
