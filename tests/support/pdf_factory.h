#pragma once
// PDFs made on the fly for the tests: hand-written PDF syntax (objects, an xref table with exact
// byte offsets, a trailer), so the suite needs no fixtures and no external tools for the basic
// cases. Coordinates are given the way docmill reports them (points, origin top left, y down)
// and converted to PDF's bottom-left origin here.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/raster.h"
#include "layout/geometry.h"

namespace docmill::testing {

inline constexpr float kA4Width = 595;
inline constexpr float kA4Height = 842;
inline constexpr float kLetterWidth = 612;
inline constexpr float kLetterHeight = 792;

// One line of text: `y` is the baseline's distance from the top of the page. Helvetica,
// Helvetica-Bold or Courier (standard 14 fonts, WinAnsi encoding), so `text` should be ASCII.
struct TextRun {
  float x = 72;
  float y = 72;
  float size = 10;
  bool bold = false;
  std::string text;
  bool mono{};       // Courier
  bool invisible{};  // text render mode 3: laid out, not painted (an OCR layer over a scan)
};

// A raster placed on the page at `box` (points, top-left origin), drawn stretched to the box.
struct PlacedImage {
  Raster raster;  // gray (channels 1) or RGB (channels 3)
  Box box;
  // Stored with one bit per pixel (a gray raster's pixels under 128 black), as a fax or a
  // JBIG2 scan is.
  bool bilevel{};
};

struct PageSpec {
  float width = kA4Width;
  float height = kA4Height;
  std::vector<TextRun> runs;
  std::vector<PlacedImage> images;
  // Filled black rectangles (points, top-left origin): table rules, as \hline draws them.
  std::vector<Box> rules{};
  // Rectangles stroked with a 0.5 pt black line: cell borders, as word processors draw them.
  std::vector<Box> frames{};
};

// `data` compressed for /FlateDecode (zlib), at `level` (zlib's 0-9, or -1 for its default).
std::string flate_encode(std::string_view data, int level = 9);

// A minimal PDF object writer: objects are numbered from 1 in the order they are added; bytes()
// lays them out, records each offset and writes the xref table and trailer.
class PdfBuilder {
 public:
  // Reserves a number for an object whose body is set later (page trees refer forward).
  int reserve();
  int add(std::string body);
  void set(int number, std::string body);
  // A stream object: `dict` without the << >> and without /Length, which is added.
  int add_stream(std::string_view dict, std::string_view data);
  void set_stream(int number, std::string_view dict, std::string_view data);
  // The whole file, with `root` as the trailer's /Root.
  std::string bytes(int root) const;

 private:
  std::vector<std::optional<std::string>> objects_;
};

// A PDF with one page per spec.
std::string make_pdf(const std::vector<PageSpec>& pages);

// Text-only pages, one list of runs per page.
std::string text_pdf(const std::vector<std::vector<TextRun>>& pages, float width = kA4Width,
                     float height = kA4Height);

// Words of the paper page that tests look for.
struct PaperWords {
  static constexpr std::string_view kTitle = "Reading Order in Synthetic Papers";
  static constexpr std::string_view kHeading1 = "1 Introduction";
  static constexpr std::string_view kHeading2 = "2 Related Work";
  static constexpr std::string_view kHeader = "Workshop on Synthetic Documents 2024";
  static constexpr std::string_view kPageNumber = "7";
  // A sentence from the top of the left column and one from the top of the right column.
  static constexpr std::string_view kLeftStart = "Glaciers carve deep valleys";
  static constexpr std::string_view kRightStart = "Astronomers point large telescopes";
  // The last sentence of the left column: it must still come before the right column.
  static constexpr std::string_view kLeftEnd = "shepherds guard their flocks";
  // Split "infor-" / "mation" over two lines of the left column, and nowhere else whole.
  static constexpr std::string_view kHyphenated = "information";
};

// A born-digital paper page (A4): header line at the top, a 24pt bold title across the page,
// then two columns of 10pt Helvetica body text, each opened by a 14pt bold numbered heading,
// with different words in each column, a word hyphenated at a line end, and a page number at
// the bottom.
PageSpec paper_page();
std::string paper_pdf();

// Image-only pages: each raster fills its page, whose size follows from the raster and `dpi`.
struct ScanPage {
  Raster raster;
  int dpi = 200;
  bool bilevel{};  // see PlacedImage
};
std::string image_pdf(const std::vector<ScanPage>& pages);

// Every page of `pdf` drawn by docmill's own renderer (MuPDF), gray. Throws std::runtime_error
// when the PDF cannot be drawn.
std::vector<Raster> render_pages(const std::string& pdf, int dpi);

// `pdf` "printed and scanned": each page rendered at `dpi` and embedded as an image-only page,
// turned clockwise by `rotate` degrees (0, 90, 180, 270) first, as a sheet fed in sideways.
std::string scanned_pdf(const std::string& pdf, int dpi, int rotate = 0);

// A gray left-to-right gradient with a dark frame: something a figure detector sees as a picture.
Raster gradient(int width, int height);

// A text page with a 300x200 px gradient placed a third of the way down, and its caption
// "Figure 1: ..." just under it.
PageSpec figure_page();
std::string figure_pdf();

// A text page with a booktabs-like table (three horizontal rules, no vertical ones): caption
// "Table 1: Prices of stuffed animals", header Animal | Description | Price, four rows, one of
// them a continuation ("each" under "per gram"), a sentence above and one below.
PageSpec booktabs_page();

// A page with a two-row table whose every cell is a stroked rectangle ("Town", "River",
// "Founded" over "Lyon", "Rhone", "43 BC"), between two sentences.
PageSpec framed_table_page();
inline constexpr std::string_view kFigureCaption =
    "Figure 1: A gray gradient used as a test figure.";

// A valid PDF whose Pages tree has /Count 0 and no kids.
std::string zero_page_pdf();
// The first `share` of the bytes of a valid three-page PDF.
std::string truncated_pdf(double share = 0.6);
// The start of a JPEG file: not a PDF at all.
std::string jpeg_like_bytes();
// A plain text file.
std::string plain_text_bytes();

// Three text pages where page 2 (index 1) is broken in the way `kind` says.
enum class BrokenPage {
  kGarbageImage,     // only an image XObject whose FlateDecode data is garbage
  kMissingContents,  // /Contents points at an object that does not exist
  kGarbageContents,  // the content stream is FlateDecode-flagged garbage
  kEmptyMediaBox,    // /MediaBox [0 0 0 0]
};
std::string pdf_with_broken_page(BrokenPage kind);

// ---- hostile inputs for the PDF layer (each a small file that once crashed, hung or was
// refused) ----

// One text page ("This is page 1 ...") whose content stream's /Length is broken as `kind` says.
enum class BrokenLength {
  kSelfReference,  // /Length N 0 R, N being the content stream itself
  kNegative,       // /Length -100
};
std::string pdf_with_broken_length(BrokenLength kind);

// One real text page under a page tree whose /Count says `count` (e.g. "1000000000", or a
// number past int64).
std::string pdf_with_page_count(std::string_view count);

// One page whose text maps, through its font's ToUnicode CMap, to lone UTF-16 surrogates and
// U+0000 in the middle of ordinary words ("Rivers" ... "flow").
std::string pdf_with_surrogate_text();

// `count` text pages, each with a link to a named destination the file does not have (MuPDF
// warns as it loads each page).
std::string pdf_with_dangling_links(int count);

// `count` pages with nothing on them: alternately no /Contents at all, an empty content stream,
// and a stream that paints only white.
std::string blank_pages_pdf(int count);

// One page that draws a form XObject `depth` levels deep, each level drawing the next `fanout`
// times: fanout^depth draws of a small square in all.
std::string form_fanout_pdf(int depth, int fanout);

// One text page with a MediaBox of `width` x `height` points.
std::string huge_page_pdf(float width, float height);

// True when the `qpdf` command is on PATH.
bool have_qpdf();
// `pdf` encrypted with AES-256 by qpdf (user password "user", owner "owner"); nullopt when qpdf
// is missing or fails.
std::optional<std::string> encrypted_pdf(const std::string& pdf);

// Writes `bytes` to `path` (creating parent directories); throws on failure.
void write_bytes(const std::filesystem::path& path, std::string_view bytes);
// Reads a whole file; empty when it cannot be read.
std::string read_bytes(const std::filesystem::path& path);

}  // namespace docmill::testing
