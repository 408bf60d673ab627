#include "support/pdf_factory.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "pdf/mupdf_context.h"
#include "pdf/pdf_document.h"
#include "pipeline/page_limits.h"

namespace docmill::testing {
namespace {

// Fonts every page refers to by these names.
constexpr std::string_view kFontResources = "/Font << /F1 {} 0 R /F2 {} 0 R /F3 {} 0 R >>";

// A PDF literal string: parentheses and backslashes escaped.
std::string literal(std::string_view text) {
  std::string out = "(";
  for (char c : text) {
    if (c == '(' || c == ')' || c == '\\') out += '\\';
    out += c;
  }
  out += ')';
  return out;
}

std::string content_stream(const PageSpec& page) {
  std::string s;
  for (size_t i = 0; i < page.images.size(); ++i) {
    const Box& b = page.images[i].box;
    // The image space is the unit square: scale to the box, origin at its bottom-left corner.
    s += fmt::format("q {:.3f} 0 0 {:.3f} {:.3f} {:.3f} cm /Im{} Do Q\n", b.width(), b.height(),
                     b.x0, page.height - b.y1, i);
  }
  for (const auto& b : page.rules) {
    s += fmt::format("0 g {:.3f} {:.3f} {:.3f} {:.3f} re f\n", b.x0, page.height - b.y1, b.width(),
                     b.height());
  }
  for (const auto& b : page.frames) {
    s += fmt::format("0 G 0.5 w {:.3f} {:.3f} {:.3f} {:.3f} re S\n", b.x0, page.height - b.y1,
                     b.width(), b.height());
  }
  for (const auto& r : page.runs) {
    s += fmt::format("BT {}/{} {:.2f} Tf 1 0 0 1 {:.2f} {:.2f} Tm {} Tj ET\n",
                     r.invisible ? "3 Tr " : "",
                     r.mono   ? "F3"
                     : r.bold ? "F2"
                              : "F1",
                     r.size, r.x, page.height - r.y, literal(r.text));
  }
  return s;
}

// One bit per pixel, rows padded to whole bytes; a set bit is white (/DeviceGray's 1).
std::string packed_bits(const Raster& gray) {
  const size_t row_bytes = (static_cast<size_t>(gray.width) + 7) / 8;
  std::string bits(row_bytes * gray.height, '\0');
  for (int y = 0; y < gray.height; ++y) {
    for (int x = 0; x < gray.width; ++x) {
      if (gray.pixels[static_cast<size_t>(y) * gray.stride() + x] >= 128) {
        bits[y * row_bytes + x / 8] |= static_cast<char>(0x80 >> (x % 8));
      }
    }
  }
  return bits;
}

int add_image(PdfBuilder& pdf, const PlacedImage& image) {
  const Raster& r = image.raster;
  if (image.bilevel) {
    return pdf.add_stream(
        fmt::format("/Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace /DeviceGray "
                    "/BitsPerComponent 1 /Filter /FlateDecode",
                    r.width, r.height),
        flate_encode(packed_bits(r)));
  }
  const std::string_view pixels(reinterpret_cast<const char*>(r.pixels.data()), r.pixels.size());
  return pdf.add_stream(
      fmt::format("/Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace {} "
                  "/BitsPerComponent 8 /Filter /FlateDecode",
                  r.width, r.height, r.channels == 1 ? "/DeviceGray" : "/DeviceRGB"),
      flate_encode(pixels));
}

struct Skeleton {
  int catalog;
  int pages;
  int helvetica;
  int helvetica_bold;
  int courier;
};

Skeleton start(PdfBuilder& pdf) {
  Skeleton s{};
  s.catalog = pdf.reserve();
  s.pages = pdf.reserve();
  s.helvetica =
      pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  s.helvetica_bold = pdf.add(
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>");
  s.courier =
      pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>");
  return s;
}

std::string finish(PdfBuilder& pdf, const Skeleton& s, const std::vector<int>& kids) {
  std::string refs;
  for (int k : kids) refs += fmt::format("{} 0 R ", k);
  pdf.set(s.pages, fmt::format("<< /Type /Pages /Kids [{}] /Count {} >>", refs, kids.size()));
  pdf.set(s.catalog, fmt::format("<< /Type /Catalog /Pages {} 0 R >>", s.pages));
  return pdf.bytes(s.catalog);
}

// As finish, with the page tree's /Count written as given (it may lie).
std::string finish_with_count(PdfBuilder& pdf, const Skeleton& s, const std::vector<int>& kids,
                              std::string_view count) {
  std::string refs;
  for (int k : kids) refs += fmt::format("{} 0 R ", k);
  pdf.set(s.pages, fmt::format("<< /Type /Pages /Kids [{}] /Count {} >>", refs, count));
  pdf.set(s.catalog, fmt::format("<< /Type /Catalog /Pages {} 0 R >>", s.pages));
  return pdf.bytes(s.catalog);
}

// A page object for `spec` with its content stream and images, and `extra` entries in its
// dictionary; returns the page's number.
int add_page(PdfBuilder& pdf, const Skeleton& s, const PageSpec& spec,
             std::string_view extra = {}) {
  std::string xobjects;
  for (size_t i = 0; i < spec.images.size(); ++i) {
    xobjects += fmt::format("/Im{} {} 0 R ", i, add_image(pdf, spec.images[i]));
  }
  const int contents = pdf.add_stream("", content_stream(spec));
  const std::string resources = fmt::format(
      "<< {} /XObject << {}>> >>",
      fmt::format(fmt::runtime(kFontResources), s.helvetica, s.helvetica_bold, s.courier),
      xobjects);
  return pdf.add(
      fmt::format("<< /Type /Page /Parent {} 0 R /MediaBox [0 0 {:.2f} {:.2f}] /Resources {} "
                  "/Contents {} 0 R {}>>",
                  s.pages, spec.width, spec.height, resources, contents, extra));
}

// Lines of a column starting at baseline `y`; an empty string leaves a blank line (a paragraph
// break that layout analysis sees as a gap).
void add_column(std::vector<TextRun>& runs, float x, float y,
                const std::vector<std::string_view>& lines) {
  for (auto line : lines) {
    if (!line.empty()) runs.push_back({x, y, 10, false, std::string(line)});
    y += 12;
  }
}

// A file in the temp directory that removes itself.
class TempFile {
 public:
  explicit TempFile(std::string_view bytes) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "docmill-pdf-XXXXXX").string();
    const int fd = mkstemp(tmpl.data());
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    close(fd);
    path_ = tmpl;
    write_bytes(path_, bytes);
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string simple_page_text(int n) {
  return fmt::format("This is page {} of a small test document about rivers.", n);
}

}  // namespace

// ---- PdfBuilder ----

std::string flate_encode(std::string_view data, int level) {
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                reinterpret_cast<const Bytef*>(data.data()), static_cast<uLong>(data.size()),
                level) != Z_OK) {
    throw std::runtime_error("zlib compress failed");
  }
  out.resize(size);
  return out;
}

int PdfBuilder::reserve() {
  objects_.emplace_back();
  return static_cast<int>(objects_.size());
}

int PdfBuilder::add(std::string body) {
  objects_.emplace_back(std::move(body));
  return static_cast<int>(objects_.size());
}

void PdfBuilder::set(int number, std::string body) {
  objects_.at(static_cast<size_t>(number - 1)) = std::move(body);
}

int PdfBuilder::add_stream(std::string_view dict, std::string_view data) {
  const int n = reserve();
  set_stream(n, dict, data);
  return n;
}

void PdfBuilder::set_stream(int number, std::string_view dict, std::string_view data) {
  std::string body = fmt::format("<< {} /Length {} >>\nstream\n", dict, data.size());
  body += data;
  body += "\nendstream";
  set(number, std::move(body));
}

std::string PdfBuilder::bytes(int root) const {
  // The binary comment line tells transfer tools the file is binary, as real writers do.
  std::string out = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects_.size(); ++i) {
    offsets.push_back(out.size());
    out += fmt::format("{} 0 obj\n{}\nendobj\n", i + 1, objects_[i].value_or("null"));
  }
  const size_t xref = out.size();
  out += fmt::format("xref\n0 {}\n0000000000 65535 f \n", objects_.size() + 1);
  // Each entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, CR LF.
  for (size_t off : offsets) out += fmt::format("{:010} 00000 n\r\n", off);
  out += fmt::format("trailer\n<< /Size {} /Root {} 0 R >>\nstartxref\n{}\n%%EOF\n",
                     objects_.size() + 1, root, xref);
  return out;
}

// ---- generic pages ----

std::string make_pdf(const std::vector<PageSpec>& pages) {
  PdfBuilder pdf;
  const Skeleton s = start(pdf);
  std::vector<int> kids;
  for (const auto& p : pages) kids.push_back(add_page(pdf, s, p));
  return finish(pdf, s, kids);
}

std::string text_pdf(const std::vector<std::vector<TextRun>>& pages, float width, float height) {
  std::vector<PageSpec> specs;
  for (const auto& runs : pages) specs.push_back({width, height, runs, {}});
  return make_pdf(specs);
}

// ---- the paper page ----

PageSpec paper_page() {
  PageSpec p;
  // Small and apart from the body at the very top: a running header.
  p.runs.push_back({72, 40, 8, false, std::string(PaperWords::kHeader)});
  p.runs.push_back({72, 92, 24, true, std::string(PaperWords::kTitle)});

  constexpr float kLeft = 72, kRight = 312, kHeadingY = 140, kBodyY = 162;
  p.runs.push_back({kLeft, kHeadingY, 14, true, std::string(PaperWords::kHeading1)});
  add_column(p.runs, kLeft, kBodyY,
             {
                 "Glaciers carve deep valleys into the",
                 "mountains over many thousands of years.",
                 "Meltwater rivers carry gravel and sand",
                 "toward the lowland plains, where farmers",
                 "later plant barley and oats in the rich",
                 "soil. Geologists measure the infor-",
                 "mation stored in each layer of sediment",
                 "to reconstruct the climate of the past.",
                 "",
                 "The glaciers retreated slowly after the",
                 "last ice age, leaving behind moraines,",
                 "kettle lakes and polished granite. Today",
                 "the valleys hold quiet villages, orchards",
                 "and narrow roads that wind along the old",
                 "riverbanks. In summer the meadows bloom",
                 "with gentian and alpine roses, and the",
                 "shepherds guard their flocks until autumn.",
             });

  p.runs.push_back({kRight, kHeadingY, 14, true, std::string(PaperWords::kHeading2)});
  add_column(p.runs, kRight, kBodyY,
             {
                 "Astronomers point large telescopes at",
                 "distant galaxies to study how stars are",
                 "born inside clouds of cold hydrogen gas.",
                 "Radio dishes listen for faint signals",
                 "from pulsars, while orbiting observatories",
                 "record ultraviolet light that never",
                 "reaches the surface of our planet.",
                 "",
                 "Comets return from the outer solar system",
                 "on long elliptical orbits. Their icy",
                 "nuclei release dust and vapour as they",
                 "approach the sun, forming bright tails",
                 "that stretch across millions of kilometres.",
                 "Careful photometry reveals the rotation",
                 "of each nucleus and the composition of",
                 "its dark surface.",
             });
  // Centred at the foot of the page, as most papers print it.
  p.runs.push_back({294, 800, 10, false, std::string(PaperWords::kPageNumber)});
  return p;
}

std::string paper_pdf() {
  return make_pdf({paper_page()});
}

// ---- scans ----

std::string image_pdf(const std::vector<ScanPage>& pages) {
  std::vector<PageSpec> specs;
  for (const auto& sp : pages) {
    const float scale = 72.f / static_cast<float>(sp.dpi);
    const float w = static_cast<float>(sp.raster.width) * scale;
    const float h = static_cast<float>(sp.raster.height) * scale;
    specs.push_back({w, h, {}, {{sp.raster, {0, 0, w, h}, sp.bilevel}}});
  }
  return make_pdf(specs);
}

std::vector<Raster> render_pages(const std::string& pdf, int dpi) {
  const TempFile file(pdf);
  auto ctx = MupdfContext::create();
  if (!ctx) throw std::runtime_error("MuPDF context: " + ctx.error().message);
  auto doc = PdfDocument::open(*ctx, file.path());
  if (!doc) throw std::runtime_error("cannot open the PDF to render: " + doc.error().message);
  std::vector<Raster> out;
  for (int i = 0; i < doc->page_count(); ++i) {
    auto r = doc->render(i, dpi, 1, PageLimits{}.max_render_pixels);
    if (!r) throw std::runtime_error("cannot render: " + r.error().message);
    out.push_back(std::move(*r));
  }
  return out;
}

std::string scanned_pdf(const std::string& pdf, int dpi, int rotate) {
  std::vector<ScanPage> pages;
  for (auto& r : render_pages(pdf, dpi)) pages.push_back({rotate_clockwise(r, rotate), dpi});
  return image_pdf(pages);
}

// ---- figures ----

Raster gradient(int width, int height) {
  Raster r{width, height, 1, {}};
  r.pixels.resize(static_cast<size_t>(width) * height);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const bool frame = x < 4 || y < 4 || x >= width - 4 || y >= height - 4;
      r.pixels[static_cast<size_t>(y) * width + x] =
          frame ? 0 : static_cast<std::uint8_t>(30 + 200 * x / std::max(1, width - 1));
    }
  }
  return r;
}

PageSpec figure_page() {
  PageSpec p;
  p.runs.push_back({72, 80, 14, true, "3 Results"});
  add_column(p.runs, 72, 104,
             {
                 "The measurements taken during the winter campaign are summarised below.",
                 "Each sample was weighed twice and the mean of both readings was kept.",
                 "The figure shows how the brightness changes from one side to the other.",
             });
  // 300 x 200 px shown at 300 x 200 pt, a third of the way down the page, centred.
  const float x0 = (kA4Width - 300) / 2, y0 = kA4Height / 3;
  p.images.push_back({gradient(300, 200), {x0, y0, x0 + 300, y0 + 200}});
  p.runs.push_back({x0, y0 + 200 + 16, 10, false, std::string(kFigureCaption)});
  add_column(p.runs, 72, y0 + 200 + 56,
             {
                 "After the figure the discussion continues with a look at the error bars.",
                 "Most readings agree within two percent, which is well inside the margin.",
                 "The remaining differences come from the temperature of the laboratory.",
             });
  return p;
}

std::string figure_pdf() {
  return make_pdf({figure_page()});
}

PageSpec booktabs_page() {
  PageSpec page;
  page.runs.push_back({72, 100, 10, false, "The prices of the animals are listed below."});
  page.runs.push_back({150, 140, 10, false, "Table 1: Prices of stuffed animals"});
  const float y = 170;
  const auto row = [&](float baseline, std::initializer_list<std::pair<float, const char*>> cells) {
    for (const auto& [x, text] : cells) page.runs.push_back({x, baseline, 10, false, text});
  };
  row(y, {{150, "Animal"}, {250, "Description"}, {380, "Price"}});
  row(y + 20, {{150, "Gnat"}, {250, "per gram"}, {380, "13.65"}});
  row(y + 34, {{250, "each"}, {380, "0.01"}});
  row(y + 48, {{150, "Gnu"}, {250, "stuffed"}, {380, "92.50"}});
  row(y + 62, {{150, "Emu"}, {250, "stuffed"}, {380, "33.33"}});
  page.rules = {
      {145, y - 14, 420, y - 13}, {145, y + 6, 420, y + 6.5f}, {145, y + 68, 420, y + 69}};
  page.runs.push_back({72, 280, 10, false, "It takes much less work to lay this out as a table."});
  return page;
}

PageSpec framed_table_page() {
  PageSpec page;
  page.runs.push_back({72, 100, 10, false, "The oldest town on the river is in the table below."});
  const std::vector<std::vector<const char*>> rows = {{"Town", "River", "Founded"},
                                                      {"Lyon", "Rhone", "43 BC"}};
  for (size_t r = 0; r < rows.size(); ++r) {
    const float top = 130.f + 22.f * static_cast<float>(r);
    for (size_t c = 0; c < rows[r].size(); ++c) {
      const float left = 150.f + 100.f * static_cast<float>(c);
      page.frames.push_back({left, top, left + 100, top + 22});
      page.runs.push_back({left + 6, top + 15, 10, false, rows[r][c]});
    }
  }
  page.runs.push_back({72, 200, 10, false, "Its bridges were rebuilt after the war."});
  return page;
}

// ---- broken inputs ----

std::string zero_page_pdf() {
  PdfBuilder pdf;
  const int catalog = pdf.reserve();
  const int pages = pdf.add("<< /Type /Pages /Kids [] /Count 0 >>");
  pdf.set(catalog, fmt::format("<< /Type /Catalog /Pages {} 0 R >>", pages));
  return pdf.bytes(catalog);
}

std::string truncated_pdf(double share) {
  std::vector<std::vector<TextRun>> pages;
  for (int i = 1; i <= 3; ++i) {
    std::vector<TextRun> runs;
    for (int l = 0; l < 30; ++l)
      runs.push_back({72, 72 + 20.f * l, 11, false, simple_page_text(i)});
    pages.push_back(std::move(runs));
  }
  const std::string full = text_pdf(pages);
  return full.substr(0, static_cast<size_t>(static_cast<double>(full.size()) * share));
}

std::string jpeg_like_bytes() {
  // SOI, an APP0/JFIF segment header, then noise: what a mislabelled photo upload starts with.
  std::string s = "\xFF\xD8\xFF\xE0";
  s += std::string("\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 16);
  for (int i = 0; i < 2000; ++i) s += static_cast<char>((i * 131 + 7) & 0xFF);
  s += "\xFF\xD9";
  return s;
}

std::string plain_text_bytes() {
  return "Dear colleague,\n\nplease find the report attached.\n\nBest regards\n";
}

std::string pdf_with_broken_page(BrokenPage kind) {
  PdfBuilder pdf;
  const Skeleton s = start(pdf);
  std::vector<int> kids;
  const auto good_page = [&](int n) {
    PageSpec spec;
    spec.runs.push_back({72, 100, 12, false, simple_page_text(n)});
    spec.runs.push_back({72, 120, 12, false, "The water was cold and clear on that morning."});
    return add_page(pdf, s, spec);
  };
  kids.push_back(good_page(1));

  const std::string fonts =
      fmt::format(fmt::runtime(kFontResources), s.helvetica, s.helvetica_bold, s.courier);
  std::string garbage;
  for (int i = 0; i < 5000; ++i) garbage += static_cast<char>((i * 7919 + 13) % 251);
  switch (kind) {
    case BrokenPage::kGarbageImage: {
      const int img = pdf.add_stream(
          "/Type /XObject /Subtype /Image /Width 100 /Height 100 /ColorSpace /DeviceGray "
          "/BitsPerComponent 8 /Filter /FlateDecode",
          garbage);
      const int contents = pdf.add_stream("", "q 400 0 0 400 100 300 cm /Im0 Do Q\n");
      kids.push_back(pdf.add(fmt::format(
          "<< /Type /Page /Parent {} 0 R /MediaBox [0 0 595 842] /Resources << {} /XObject << "
          "/Im0 {} 0 R >> >> /Contents {} 0 R >>",
          s.pages, fonts, img, contents)));
      break;
    }
    case BrokenPage::kMissingContents:
      kids.push_back(pdf.add(
          fmt::format("<< /Type /Page /Parent {} 0 R /MediaBox [0 0 595 842] /Resources << {} >> "
                      "/Contents 999 0 R >>",
                      s.pages, fonts)));
      break;
    case BrokenPage::kGarbageContents: {
      const int contents = pdf.add_stream("/Filter /FlateDecode", garbage);
      kids.push_back(pdf.add(
          fmt::format("<< /Type /Page /Parent {} 0 R /MediaBox [0 0 595 842] /Resources << {} >> "
                      "/Contents {} 0 R >>",
                      s.pages, fonts, contents)));
      break;
    }
    case BrokenPage::kEmptyMediaBox: {
      const int contents = pdf.add_stream("", "BT /F1 12 Tf 72 700 Td (Nothing to see) Tj ET\n");
      kids.push_back(pdf.add(
          fmt::format("<< /Type /Page /Parent {} 0 R /MediaBox [0 0 0 0] /Resources << {} >> "
                      "/Contents {} 0 R >>",
                      s.pages, fonts, contents)));
      break;
    }
  }
  kids.push_back(good_page(3));
  return finish(pdf, s, kids);
}

// ---- hostile inputs for the PDF layer ----

std::string pdf_with_broken_length(BrokenLength kind) {
  PdfBuilder pdf;
  const Skeleton s = start(pdf);
  PageSpec spec;
  spec.runs.push_back({72, 100, 12, false, simple_page_text(1)});
  spec.runs.push_back({72, 120, 12, false, "The water was cold and clear on that morning."});
  const std::string data = content_stream(spec);
  const int contents = pdf.reserve();
  const std::string length =
      kind == BrokenLength::kSelfReference ? fmt::format("{} 0 R", contents) : "-100";
  pdf.set(contents, fmt::format("<< /Length {} >>\nstream\n{}\nendstream", length, data));
  const std::string fonts =
      fmt::format(fmt::runtime(kFontResources), s.helvetica, s.helvetica_bold, s.courier);
  const int page = pdf.add(
      fmt::format("<< /Type /Page /Parent {} 0 R /MediaBox [0 0 595 842] /Resources << {} >> "
                  "/Contents {} 0 R >>",
                  s.pages, fonts, contents));
  return finish_with_count(pdf, s, {page}, "1");
}

std::string pdf_with_page_count(std::string_view count) {
  PdfBuilder pdf;
  const Skeleton s = start(pdf);
  PageSpec spec;
  spec.runs.push_back({72, 100, 12, false, simple_page_text(1)});
  spec.runs.push_back({72, 120, 12, false, "The water was cold and clear on that morning."});
  const int page = add_page(pdf, s, spec);
  return finish_with_count(pdf, s, {page}, count);
}

std::string pdf_with_surrogate_text() {
  PdfBuilder pdf;
  const Skeleton s = start(pdf);
  // A, B and C map to a lone high surrogate, a lone low surrogate and U+0000; the other
  // characters to themselves (lowercase letters and space).
  std::string cmap =
      "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
      "/CMapName /Test def /CMapType 2 def\n"
      "1 begincodespacerange <00> <FF> endcodespacerange\n"
      "3 beginbfchar <41> <D800> <42> <DC00> <43> <0000> endbfchar\n"
      "2 beginbfrange <20> <20> <0020> <61> <7A> <0061> endbfrange\n"
      "endcmap CMapName currentdict /CMap defineresource pop end end\n";
  const int to_unicode = pdf.add_stream("", cmap);
  const int font = pdf.add(
      fmt::format("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding "
                  "/ToUnicode {} 0 R >>",
                  to_unicode));
  std::string content;
  for (int l = 0; l < 6; ++l) {
    content += fmt::format(
        "BT /F9 12 Tf 72 {} Td (rivers Aflow Bthrough Cthe valley and the plain) Tj ET\n",
        760 - 20 * l);
  }
  const int contents = pdf.add_stream("", content);
  const int page = pdf.add(
      fmt::format("<< /Type /Page /Parent {} 0 R /MediaBox [0 0 595 842] /Resources << /Font << "
                  "/F9 {} 0 R >> >> /Contents {} 0 R >>",
                  s.pages, font, contents));
  return finish(pdf, s, {page});
}

std::string pdf_with_dangling_links(int count) {
  PdfBuilder pdf;
  const Skeleton s = start(pdf);
  std::vector<int> kids;
  for (int i = 0; i < count; ++i) {
    PageSpec spec;
    spec.runs.push_back({72, 100, 12, false, simple_page_text(i + 1)});
    const int link = pdf.add(
        "<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] /Border [0 0 0] /Dest /nowhere >>");
    kids.push_back(add_page(pdf, s, spec, fmt::format("/Annots [{} 0 R] ", link)));
  }
  return finish(pdf, s, kids);
}

std::string blank_pages_pdf(int count) {
  PdfBuilder pdf;
  const Skeleton s = start(pdf);
  std::vector<int> kids;
  for (int i = 0; i < count; ++i) {
    std::string contents;
    if (i % 3 == 1) contents = fmt::format("/Contents {} 0 R", pdf.add_stream("", ""));
    if (i % 3 == 2) {
      contents = fmt::format("/Contents {} 0 R", pdf.add_stream("", "q 1 g 0 0 595 842 re f Q\n"));
    }
    kids.push_back(pdf.add(fmt::format(
        "<< /Type /Page /Parent {} 0 R /MediaBox [0 0 595 842] {} >>", s.pages, contents)));
  }
  return finish(pdf, s, kids);
}

std::string form_fanout_pdf(int depth, int fanout) {
  PdfBuilder pdf;
  const Skeleton s = start(pdf);
  // Level 0 draws a square; level k draws level k-1 `fanout` times.
  int below =
      pdf.add_stream("/Type /XObject /Subtype /Form /BBox [0 0 600 600]", "0 g 10 10 20 20 re f\n");
  for (int level = 1; level <= depth; ++level) {
    std::string draws;
    for (int i = 0; i < fanout; ++i) draws += "/X Do\n";
    below = pdf.add_stream(
        fmt::format("/Type /XObject /Subtype /Form /BBox [0 0 600 600] /Resources << /XObject "
                    "<< /X {} 0 R >> >>",
                    below),
        draws);
  }
  const int contents = pdf.add_stream("", "/X Do\n");
  const int page = pdf.add(fmt::format(
      "<< /Type /Page /Parent {} 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /X {} 0 "
      "R >> >> /Contents {} 0 R >>",
      s.pages, below, contents));
  return finish(pdf, s, {page});
}

std::string huge_page_pdf(float width, float height) {
  PageSpec spec;
  spec.width = width;
  spec.height = height;
  spec.runs.push_back({72, 100, 12, false, simple_page_text(1)});
  return make_pdf({spec});
}

// ---- encryption ----

bool have_qpdf() {
  return std::system("command -v qpdf >/dev/null 2>&1") == 0;
}

std::optional<std::string> encrypted_pdf(const std::string& pdf) {
  if (!have_qpdf()) return std::nullopt;
  const TempFile in(pdf);
  const auto out = in.path().string() + ".enc.pdf";
  const std::string cmd = fmt::format("qpdf --encrypt user owner 256 -- '{}' '{}' 2>/dev/null",
                                      in.path().string(), out);
  // qpdf exits 3 for "succeeded with warnings"; the output is usable then too.
  const int rc = std::system(cmd.c_str());
  std::string bytes = read_bytes(out);
  std::error_code ec;
  std::filesystem::remove(out, ec);
  if ((rc != 0 && WEXITSTATUS(rc) != 3) || bytes.empty()) return std::nullopt;
  return bytes;
}

// ---- files ----

void write_bytes(const std::filesystem::path& path, std::string_view bytes) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace docmill::testing
