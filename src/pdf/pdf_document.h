#pragma once
// A PDF opened with MuPDF: page count and size, the text layer, and page renders. Pages are
// loaded one at a time and dropped after use, so memory follows the page, not the document.
#include <filesystem>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/raster.h"
#include "layout/page_model.h"
#include "pdf/mupdf_context.h"
#include "pdf/text_flow.h"

struct pdf_document;

namespace docmill {

// A raster image drawn on the page: where, and how many pixels it has. Its resolution on the
// page follows (pipeline/scan_resolution).
struct ImagePlacement {
  Box box;  // the placed image's bounds in points
  int width_px = 0;
  int height_px = 0;
  // One bit per pixel (a JBIG2 or CCITT scan, a stencil mask): black and white as scanned.
  bool bilevel = false;
};

// The page's text layer as MuPDF's structured text sees it.
struct TextLayer {
  std::vector<TextLine> lines;
  std::vector<Box> images;    // placed raster images
  std::vector<Box> drawings;  // filled or stroked vector paths and shadings (plots, diagrams)
  int chars = 0;              // characters in lines
  int unmapped_chars = 0;     // glyphs without a Unicode mapping (U+FFFD, private use, controls)
  // Set when MuPDF stopped reading the page at an error and what it read so far is kept.
  std::vector<std::string> warnings;
  // Stroked paths bounded by their points plus half the line width: `drawings` bounds strokes
  // with MuPDF's miter allowance (a 0.4 pt rule comes out 8 pt thick), which hides rules.
  std::vector<Box> strokes{};
  // Glyphs the content stream draws (filled, stroked or clipped) and glyphs it lays out without
  // painting (text render mode 3): an OCR layer hidden over a scan is all of the second kind.
  int painted_glyphs = 0;
  int invisible_glyphs = 0;
  // Raster images with their pixel sizes (images above has their boxes as structured text saw
  // them; this comes from the drawing pass and is empty when that pass failed).
  std::vector<ImagePlacement> placed_images{};
};

struct PageSize {
  float width = 0;
  float height = 0;
};

// Part of a page drawn: `raster`'s top-left pixel is page pixel (x0, y0) at the render's dpi.
struct PageArea {
  Raster raster;
  int x0 = 0;
  int y0 = 0;
};

// True when the file starts (within its first kilobyte, as PDF readers allow) with "%PDF-".
Result<bool> has_pdf_signature(const std::filesystem::path& path);

class PdfDocument {
 public:
  // Opens a PDF for reading. Errors: kNotPdf, kEncrypted (a password is needed), kCorrupt,
  // kEmpty (no pages), kIo. A damaged or truncated file that MuPDF could repair opens; the
  // pages it lost fail one by one when they are used. Nothing here is done per page, so a page
  // tree that claims a billion pages costs no more to open than one page.
  static Result<PdfDocument> open(MupdfContext& ctx, const std::filesystem::path& path);

  PdfDocument(PdfDocument&& other) noexcept;
  PdfDocument& operator=(PdfDocument&& other) noexcept;
  PdfDocument(const PdfDocument&) = delete;
  PdfDocument& operator=(const PdfDocument&) = delete;
  ~PdfDocument();

  int page_count() const { return page_count_; }
  // True when the file was damaged and MuPDF rebuilt its cross-reference table.
  bool was_repaired() const { return repaired_; }
  // The first page index (below `limit`) whose page object is there; nullopt when none is.
  std::optional<int> first_present_page(int limit);

  // Every call below that works on a page fails with kCorrupt ("page 3 is missing from the
  // damaged or truncated file") for a page a repaired file lost. Those taking `stop` give up
  // with kCancelled soon after it is requested, even inside MuPDF's interpreter (a form
  // XObject drawn 10^10 times); running out of memory inside MuPDF fails the call, not the
  // process.
  Result<PageSize> page_size(int page_index);
  // Lines in content-stream order. When MuPDF fails part way (an image too large to place, a
  // Type 3 font that draws itself), the page is read again without images, and failing that,
  // the text read up to the error is kept, with a warning.
  Result<TextLayer> text_layer(int page_index, std::stop_token stop = {});
  // Decodes the page's content streams once, in chunks, checking `stop` between them: a
  // content stream that inflates to 64 GiB of whitespace would otherwise keep MuPDF's lexer
  // busy where no stop is checked. kCancelled when stopped, kCorrupt when unreadable.
  Status read_contents(int page_index, std::stop_token stop);
  // The page's words in reading order (pdf/text_flow.h), to order the text layer's lines by.
  // Errors: kUnsupported when Poppler cannot read the file, kCorrupt for the page.
  Result<std::vector<Box>> reading_flow(int page_index);
  // False when the page draws nothing at all: no content stream (or only empty ones) and no
  // annotations. kCorrupt when /Contents names an object the file does not have.
  Result<bool> has_content(int page_index);
  // The page drawn at `dpi`, gray (channels 1) or RGB (channels 3). kTooLarge, before anything
  // is allocated, when the render would have more than `max_pixels` pixels.
  Result<Raster> render(int page_index, double dpi, int channels, long long max_pixels,
                        std::stop_token stop = {});
  // The part of the page inside `area` (points) drawn in RGB at `dpi`, for figures cropped
  // from a page that is mostly text: MuPDF then rasterizes only that part. kTooLarge as
  // render's; an empty raster when `area` misses the page.
  Result<PageArea> render_area(int page_index, double dpi, Box area, long long max_pixels,
                               std::stop_token stop = {});

  MupdfContext& context() { return *ctx_; }

 private:
  PdfDocument(MupdfContext* ctx, pdf_document* doc, int page_count, bool repaired,
              std::filesystem::path path)
      : ctx_(ctx),
        doc_(doc),
        page_count_(page_count),
        repaired_(repaired),
        path_(std::move(path)) {}
  // kCorrupt naming the page when a damaged file lost its page object.
  Status check_present(int page_index);
  // render and render_area: the page, or the part inside `area`, drawn.
  Result<PageArea> draw(int page_index, double dpi, int channels, std::optional<Box> area,
                        long long max_pixels, std::stop_token stop);
  MupdfContext* ctx_ = nullptr;
  pdf_document* doc_ = nullptr;
  int page_count_ = 0;
  bool repaired_ = false;
  std::filesystem::path path_;
  std::optional<TextFlow> flow_;  // opened on first use: only text-layer pages need it
  bool flow_unavailable_ = false;
};

// Opens the document in a context of its own and returns its page count: the upload check.
// A file none of whose pages can be read (a damaged file whose first pages are all lost) is
// refused with kCorrupt.
Result<int> probe_pdf(const std::filesystem::path& path);

}  // namespace docmill
