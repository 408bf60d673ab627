#include "support/hostile_corpus.h"

#include <sys/wait.h>
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <ostream>
#include <regex>
#include <stdexcept>

#include <fmt/format.h>

#include "support/pdf_factory.h"
#include "support/temp_dir.h"

namespace docmill::testing {
namespace {

using Outcome = HostileOutcome;

// ---- bytes ----

// Deterministic noise (a 32-bit LCG): the same corpus on every run and every machine.
std::string noise(size_t size, std::uint32_t seed) {
  std::string out(size, '\0');
  std::uint32_t x = seed;
  for (auto& c : out) {
    x = x * 1664525u + 1013904223u;
    c = static_cast<char>(x >> 24);
  }
  return out;
}

// FlateDecode of `total` copies of `byte` (a whole number of MiB), made without deflating
// gigabytes: one MiB is deflated raw and ended with a full flush, which resets the compressor,
// so the same bytes encode every further MiB; a zlib header, the repeats, an empty final block
// and the Adler-32 of the whole make a valid zlib stream.
std::string flate_repeated(char byte, size_t total) {
  constexpr size_t kSlice = size_t{1} << 20;
  if (total % kSlice != 0) throw std::logic_error("flate_repeated: whole MiB only");
  const std::string slice(kSlice, byte);
  z_stream z{};
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string block(deflateBound(&z, kSlice) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(slice.data()));
  z.avail_in = static_cast<uInt>(slice.size());
  z.next_out = reinterpret_cast<Bytef*>(block.data());
  z.avail_out = static_cast<uInt>(block.size());
  const int rc = deflate(&z, Z_FULL_FLUSH);
  block.resize(block.size() - z.avail_out);
  deflateEnd(&z);
  if (rc != Z_OK || z.avail_in != 0) throw std::runtime_error("deflate failed");

  const uLong slice_adler =
      adler32(adler32(0, nullptr, 0), reinterpret_cast<const Bytef*>(slice.data()),
              static_cast<uInt>(slice.size()));
  uLong adler = adler32(0, nullptr, 0);
  std::string out = "\x78\x9C";
  for (size_t done = 0; done < total; done += kSlice) {
    out += block;
    adler = adler32_combine(adler, slice_adler, static_cast<z_off_t>(kSlice));
  }
  out += std::string("\x03\x00", 2);  // a final, empty block with fixed codes
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>(adler >> shift);
  return out;
}

void replace_once(std::string& s, std::string_view from, std::string_view to) {
  const size_t at = s.find(from);
  if (at == std::string::npos) {
    throw std::runtime_error(fmt::format("hostile corpus: '{}' not found", from));
  }
  s.replace(at, from.size(), to);
}

// Extra entries in the trailer dictionary that PdfBuilder wrote.
std::string with_trailer_extra(std::string pdf, std::string_view extra) {
  const size_t at = pdf.rfind("trailer\n<<");
  if (at == std::string::npos) throw std::runtime_error("hostile corpus: no trailer");
  pdf.insert(at + 10, fmt::format(" {} ", extra));
  return pdf;
}

// Every "in use" offset of PdfBuilder's xref table moved by `delta` bytes (0 for offset zero).
std::string with_xref_offsets(std::string pdf, long delta, bool zero) {
  size_t at = pdf.rfind("\nxref\n");
  if (at == std::string::npos) throw std::runtime_error("hostile corpus: no xref");
  at = pdf.find('\n', at + 6) + 1;  // past the "0 N" subsection line
  for (; at + 20 <= pdf.size() && (pdf[at + 17] == 'n' || pdf[at + 17] == 'f'); at += 20) {
    if (pdf[at + 17] != 'n') continue;
    const long offset = zero ? 0 : std::stol(pdf.substr(at, 10)) + delta;
    pdf.replace(at, 10, fmt::format("{:010}", offset));
  }
  return pdf;
}

// The text after "startxref" replaced by `value`.
std::string with_startxref(std::string pdf, std::string_view value) {
  const size_t at = pdf.rfind("startxref\n");
  const size_t end = pdf.find("\n%%EOF", at);
  if (at == std::string::npos || end == std::string::npos) {
    throw std::runtime_error("hostile corpus: no startxref");
  }
  pdf.replace(at + 10, end - at - 10, value);
  return pdf;
}

// ---- documents ----

constexpr std::string_view kHelvetica =
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";

// Ten lines of ordinary prose for page `n`, in /F1 (Helvetica): enough for the text layer to
// be chosen over OCR, and different on every page so that a lost page shows.
std::string text_lines(int n, float top = 770) {
  static constexpr std::string_view kLines[] = {
      "The river carried gravel and sand past the old mill at the edge of town.",
      "Farmers planted barley and oats in the rich soil of the lowland plains.",
      "In summer the meadows bloom with gentian and alpine roses near the lake.",
      "Shepherds guard their flocks on the high pastures until early autumn.",
      "The glaciers retreated slowly and left behind moraines and kettle lakes.",
      "Narrow roads wind along the riverbanks between orchards and villages.",
      "Geologists measure every layer of sediment to learn about the climate.",
      "Radio dishes listen for faint signals from pulsars far beyond our sun.",
      "Comets return from the outer solar system on long elliptical orbits.",
  };
  std::string s = fmt::format("BT /F1 14 Tf 72 {:.0f} Td (Hostile corpus page {}) Tj ET\n", top, n);
  for (int i = 0; i < 9; ++i) {
    s += fmt::format("BT /F1 11 Tf 72 {:.0f} Td ({}) Tj ET\n", top - 24 - 16 * i, kLines[i]);
  }
  return s;
}

// A document under construction: catalog, page tree and Helvetica first, then pages in order.
class Doc {
 public:
  Doc() : catalog_(pdf.reserve()), pages_(pdf.reserve()), font_(pdf.add(std::string(kHelvetica))) {}

  int pages_node() const { return pages_; }
  int font() const { return font_; }

  // A page drawing `content`, with /F1 and `resources` (more entries of the resource dict).
  int add_page(std::string_view content, std::string_view resources = "",
               std::string_view page_entries = "", std::string_view media_box = "[0 0 595 842]") {
    const int contents = pdf.add_stream("", content);
    return add_page_object(fmt::format("/Contents {} 0 R {}", contents, page_entries), resources,
                           media_box);
  }

  // A page whose dictionary has `entries` (its /Contents among them, or not) and no content of
  // its own making.
  int add_page_object(std::string_view entries, std::string_view resources = "",
                      std::string_view media_box = "[0 0 595 842]") {
    const int page = pdf.add(fmt::format(
        "<< /Type /Page /Parent {} 0 R /MediaBox {} /Resources << /Font << /F1 {} 0 R {}>> {} "
        ">> {} >>",
        pages_, media_box, font_, extra_fonts, resources, entries));
    kids.push_back(page);
    return page;
  }

  int add_text_page(int n) { return add_page(text_lines(n)); }

  // The file; `count` overrides the page tree's /Count (a lie, for hostile trees).
  std::string finish(std::string_view catalog_extra = "", std::string_view count = "") {
    std::string refs;
    for (int k : kids) refs += fmt::format("{} 0 R ", k);
    pdf.set(pages_, fmt::format("<< /Type /Pages /Kids [{}] /Count {} >>", refs,
                                count.empty() ? std::to_string(kids.size()) : std::string(count)));
    pdf.set(catalog_, fmt::format("<< /Type /Catalog /Pages {} 0 R {} >>", pages_, catalog_extra));
    return pdf.bytes(catalog_);
  }

  PdfBuilder pdf;
  std::vector<int> kids;
  // More entries of every later page's /Font dictionary ("/F2 7 0 R ").
  std::string extra_fonts;

 private:
  int catalog_;
  int pages_;
  int font_;
};

std::string text_document(int pages) {
  Doc d;
  for (int i = 1; i <= pages; ++i) d.add_text_page(i);
  return d.finish();
}

// Three pages: text, then a page made by `middle`, then text.
std::string sandwich(const std::function<void(Doc&)>& middle) {
  Doc d;
  d.add_text_page(1);
  middle(d);
  d.add_text_page(3);
  return d.finish();
}

// A page that is only one image, filling it.
void add_image_page(Doc& d, std::string_view image_dict, std::string_view data) {
  const int image = d.pdf.add_stream(image_dict, data);
  d.add_page("q 595 0 0 842 0 0 cm /Im0 Do Q\n", fmt::format("/XObject << /Im0 {} 0 R >>", image));
}

// ---- PDF 1.5 files: object streams and a cross-reference stream ----

struct PackedObjects {
  int count = 0;                         // objects packed into object streams
  std::function<std::string(int)> body;  // the body of the i-th packed object (0-based)
  int per_stream = 10000;                // at most 65535: the xref stream's index field
  std::string declared_n;                // overrides every object stream's /N (a lie)
};

// `plain` are objects 1..P written as usual; the packed objects are numbered from P + 1 and
// live in object streams after them; the cross-reference stream comes last, with `root`.
std::string xref_stream_pdf(const std::vector<std::string>& plain, const PackedObjects& packed,
                            int root) {
  struct Entry {
    std::uint8_t type;
    std::uint32_t field2;
    std::uint16_t field3;
  };
  std::vector<Entry> entries{{0, 0, 0xFFFF}};
  std::string out = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
  const auto write_object = [&](int number, std::string_view body) {
    entries.push_back({1, static_cast<std::uint32_t>(out.size()), 0});
    out += fmt::format("{} 0 obj\n", number);
    out += body;
    out += "\nendobj\n";
  };
  for (size_t i = 0; i < plain.size(); ++i) write_object(static_cast<int>(i) + 1, plain[i]);

  const int first_packed = static_cast<int>(plain.size()) + 1;
  const int streams = (packed.count + packed.per_stream - 1) / packed.per_stream;
  const int first_stream = first_packed + packed.count;
  for (int i = 0; i < packed.count; ++i) {
    entries.push_back({2, static_cast<std::uint32_t>(first_stream + i / packed.per_stream),
                       static_cast<std::uint16_t>(i % packed.per_stream)});
  }
  for (int s = 0; s < streams; ++s) {
    std::string header, bodies;
    const int begin = s * packed.per_stream;
    const int end = std::min(packed.count, begin + packed.per_stream);
    for (int i = begin; i < end; ++i) {
      header += fmt::format("{} {} ", first_packed + i, bodies.size());
      bodies += packed.body(i);
      bodies += ' ';
    }
    const std::string data = flate_encode(header + bodies, Z_DEFAULT_COMPRESSION);
    const std::string n =
        packed.declared_n.empty() ? std::to_string(end - begin) : packed.declared_n;
    write_object(first_stream + s,
                 fmt::format("<< /Type /ObjStm /N {} /First {} /Filter /FlateDecode /Length {} "
                             ">>\nstream\n{}\nendstream",
                             n, header.size(), data.size(), data));
  }

  const int xref_number = first_stream + streams;
  entries.push_back({1, static_cast<std::uint32_t>(out.size()), 0});
  std::string table;
  table.reserve(entries.size() * 7);
  for (const auto& e : entries) {
    table += static_cast<char>(e.type);
    for (int shift = 24; shift >= 0; shift -= 8) table += static_cast<char>(e.field2 >> shift);
    table += static_cast<char>(e.field3 >> 8);
    table += static_cast<char>(e.field3 & 0xFF);
  }
  const std::string data = flate_encode(table, Z_DEFAULT_COMPRESSION);
  const size_t xref_offset = out.size();
  out += fmt::format(
      "{} 0 obj\n<< /Type /XRef /Size {} /W [1 4 2] /Root {} 0 R /Filter /FlateDecode /Length {} "
      ">>\nstream\n",
      xref_number, entries.size(), root, data.size());
  out += data;
  out += fmt::format("\nendstream\nendobj\nstartxref\n{}\n%%EOF\n", xref_offset);
  return out;
}

// Objects 1-4 of a one-page PDF 1.5 file whose font is packed object 5.
std::vector<std::string> one_page_plain_objects() {
  return {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> "
      ">> /Contents 4 0 R >>",
      fmt::format("<< /Length {} >>\nstream\n{}\nendstream", text_lines(1).size(), text_lines(1)),
  };
}

// ---- encryption ----

// `pdf` run through `qpdf <args> -- in out`; nullopt when qpdf is missing or fails.
std::optional<std::string> qpdf(const std::string& pdf, std::string_view args) {
  if (!have_qpdf()) return std::nullopt;
  const TempDir dir;
  write_bytes(dir / "in.pdf", pdf);
  const std::string cmd = fmt::format("qpdf {} -- '{}' '{}' 2>/dev/null", args,
                                      (dir / "in.pdf").string(), (dir / "out.pdf").string());
  const int rc = std::system(cmd.c_str());
  // qpdf exits 3 for "succeeded with warnings"; the output is usable then too.
  if (rc != 0 && !(WIFEXITED(rc) && WEXITSTATUS(rc) == 3)) return std::nullopt;
  std::string out = read_bytes(dir / "out.pdf");
  if (out.empty()) return std::nullopt;
  return out;
}

// ---- cases ----

using Maker = std::function<std::string()>;

HostileCase make_case(std::string name, std::string category, Outcome expected, int pages,
                      std::string why, Maker make) {
  HostileCase c;
  c.name = std::move(name);
  c.category = std::move(category);
  c.expected = expected;
  c.pages = pages;
  c.why = std::move(why);
  c.make = [make = std::move(make)]() -> std::optional<std::string> { return make(); };
  return c;
}

HostileCase refused(std::string name, std::string category, std::string convert_reason,
                    std::string serve_reason, std::string why, Maker make) {
  HostileCase c = make_case(std::move(name), std::move(category), Outcome::kRefused, 0,
                            std::move(why), std::move(make));
  c.convert_reason = std::move(convert_reason);
  c.serve_reason = std::move(serve_reason);
  return c;
}

HostileCase converted(std::string name, std::string category, int pages, std::string why,
                      Maker make) {
  return make_case(std::move(name), std::move(category), Outcome::kConverted, pages, std::move(why),
                   std::move(make));
}

HostileCase damaged(std::string name, std::string category, int pages, std::vector<int> lost,
                    std::string why, Maker make) {
  HostileCase c = make_case(std::move(name), std::move(category), Outcome::kDamagedPagesNamed,
                            pages, std::move(why), std::move(make));
  c.damaged_pages = std::move(lost);
  return c;
}

void add_not_a_pdf(std::vector<HostileCase>& out) {
  const std::string why = "nothing in it is a PDF: refused at the door, naming the rule";
  out.push_back(refused("empty_file", "not-a-pdf", "", "empty", why, [] { return std::string(); }));
  out.push_back(refused("plain_text", "not-a-pdf", "not a PDF", "not a PDF", why,
                        [] { return plain_text_bytes(); }));
  out.push_back(refused("jpeg_bytes", "not-a-pdf", "not a PDF", "not a PDF", why,
                        [] { return jpeg_like_bytes(); }));
  out.push_back(refused("html_page", "not-a-pdf", "not a PDF", "not a PDF", why, [] {
    return std::string(
        "<!DOCTYPE html>\n<html><head><title>Report</title></head>\n<body><h1>Quarterly "
        "report</h1><p>The PDF could not be generated.</p></body></html>\n");
  }));
  out.push_back(refused("pdf_signature_after_1k", "not-a-pdf", "not a PDF", "not a PDF",
                        "a valid PDF behind 2 KB of mail headers: the %PDF- signature must be in "
                        "the first kilobyte (the documented rule), so it is refused, saying so",
                        [] {
                          std::string s;
                          while (s.size() < 2048) s += "X-Mailer-Header: forwarded attachment\n";
                          return s + text_document(1);
                        }));
  out.push_back(refused("header_only", "not-a-pdf", "", "",
                        "a signature and nothing else: no object, no page",
                        [] { return std::string("%PDF-1.7\n%%EOF\n"); }));
  out.push_back(refused("header_then_noise", "not-a-pdf", "", "",
                        "a signature followed by 20 KB of noise: nothing a repair can find",
                        [] { return "%PDF-1.4\n" + noise(20000, 7); }));
  out.push_back(refused("zero_pages", "not-a-pdf", "no pages", "no pages",
                        "a valid PDF whose page tree is empty", [] { return zero_page_pdf(); }));
  out.push_back(refused("truncated_in_header", "truncated", "", "",
                        "the first 40 bytes of a PDF: the catalog never arrived",
                        [] { return text_document(3).substr(0, 40); }));
}

void add_encrypted(std::vector<HostileCase>& out) {
  const auto encrypted = [&](std::string name, std::string args) {
    HostileCase c = refused(std::move(name), "encryption", "encrypted", "encrypted",
                            "a user password is needed to read anything: refused, asking for "
                            "the password to be removed",
                            {});
    c.make = [args] { return qpdf(text_document(2), args); };
    out.push_back(std::move(c));
  };
  encrypted("encrypted_aes256_user_password", "--encrypt user owner 256");
  encrypted("encrypted_aes128_user_password", "--encrypt user owner 128 --use-aes=y");
  encrypted("encrypted_rc4_128_user_password",
            "--allow-weak-crypto --encrypt user owner 128 --use-aes=n");
  encrypted("encrypted_rc4_40_user_password", "--allow-weak-crypto --encrypt user owner 40");

  const auto owner_only = [&](std::string name, std::string args) {
    HostileCase c = converted(std::move(name), "encryption", 2,
                              "only an owner password (restrictions): anyone may open and read "
                              "it, so it converts",
                              {});
    c.make = [args] { return qpdf(text_document(2), args); };
    out.push_back(std::move(c));
  };
  owner_only("encrypted_owner_only_aes256", "--encrypt '' owner 256");
  owner_only("encrypted_owner_only_rc4_128",
             "--allow-weak-crypto --encrypt '' owner 128 --use-aes=n");

  out.push_back(refused(
      "encrypt_unknown_handler", "encryption", "", "",
      "an /Encrypt dictionary naming a security handler nobody has: the content cannot be "
      "decrypted, so it is refused",
      [] {
        return with_trailer_extra(
            text_document(1),
            "/Encrypt << /Filter /NoSuchHandler /V 1 /R 2 /O <00> /U <00> /P -4 >> /ID [<01> "
            "<01>]");
      }));
}

void add_xref(std::vector<HostileCase>& out) {
  const std::string why = "every object is intact and MuPDF's repair finds them all: converts";
  out.push_back(converted("xref_offsets_shifted", "broken-xref", 3, why,
                          [] { return with_xref_offsets(text_document(3), 37, false); }));
  out.push_back(converted("xref_offsets_zero", "broken-xref", 3, why,
                          [] { return with_xref_offsets(text_document(3), 0, true); }));
  out.push_back(converted("xref_missing", "broken-xref", 3, why, [] {
    const std::string pdf = text_document(3);
    return pdf.substr(0, pdf.rfind("xref\n"));
  }));
  out.push_back(converted("startxref_out_of_range", "broken-xref", 3, why,
                          [] { return with_startxref(text_document(3), "987654321"); }));
  out.push_back(converted("startxref_garbage", "broken-xref", 3, why,
                          [] { return with_startxref(text_document(3), "not-a-number"); }));
  out.push_back(converted("xref_prev_loop", "broken-xref", 3, why, [] {
    const std::string pdf = text_document(3);
    const size_t xref = pdf.rfind("\nxref\n") + 1;
    return with_trailer_extra(pdf, fmt::format("/Prev {}", xref));
  }));
  out.push_back(converted("trailer_size_2pow31", "broken-xref", 3,
                          "the trailer claims 2^31 - 1 objects; the xref holds a dozen: converts",
                          [] {
                            std::string pdf = text_document(3);
                            const size_t at = pdf.rfind("/Size ");
                            const size_t end = pdf.find(' ', at + 6);
                            pdf.replace(at + 6, end - at - 6, "2147483647");
                            return pdf;
                          }));
  out.push_back(converted("trailer_without_root", "broken-xref", 3,
                          "the trailer lost its /Root; the catalog is still in the file and a "
                          "repair finds it: converts",
                          [] {
                            std::string pdf = text_document(3);
                            replace_once(pdf, "/Root 1 0 R", "");
                            return pdf;
                          }));
}

// The first `share` of a 12-page text document; the pages whose page object is cut off (or
// after the cut) are lost, the ones before survive MuPDF's repair.
HostileCase truncated_case(int percent) {
  constexpr int kPages = 12;
  Doc d;
  for (int i = 1; i <= kPages; ++i) d.add_text_page(i);
  const std::string full = d.finish();
  const size_t cut = full.size() * static_cast<size_t>(percent) / 100;
  std::vector<int> lost;
  for (int i = 0; i < kPages; ++i) {
    const size_t at = full.find(fmt::format("\n{} 0 obj\n", d.kids[static_cast<size_t>(i)]));
    const size_t end = full.find("endobj", at);
    if (end + 6 > cut) lost.push_back(i + 1);
  }
  const std::string name = fmt::format("truncated_at_{}_percent", percent);
  const std::string why = fmt::format(
      "cut at {}% of a 12-page file: the pages before the cut are recovered and converted, the "
      "{} lost ones are named",
      percent, lost.size());
  if (lost.empty() || static_cast<int>(lost.size()) == kPages) {
    throw std::logic_error("hostile corpus: " + name + " must keep some pages and lose some");
  }
  return damaged(name, "truncated", kPages, lost, why, [full, cut] { return full.substr(0, cut); });
}

void add_truncated(std::vector<HostileCase>& out) {
  for (int percent : {10, 50, 90}) out.push_back(truncated_case(percent));
}

void add_page_tree(std::vector<HostileCase>& out) {
  HostileCase billion = refused(
      "count_1e9", "page-tree", "--max-pages", "DOCMILL_MAX_PAGES",
      "the page tree claims 10^9 pages: over the page limit, refused before anything per page "
      "is allocated",
      [] {
        Doc d;
        d.add_text_page(1);
        return d.finish("", "1000000000");
      });
  out.push_back(std::move(billion));
  out.push_back(refused("count_int64_overflow", "page-tree", "", "",
                        "the page tree's /Count overflows int64: no trustworthy page count, "
                        "refused (by the page limit or as damaged), never allocated",
                        [] {
                          Doc d;
                          d.add_text_page(1);
                          return d.finish("", "99999999999999999999999999");
                        }));
  out.push_back(
      refused("pages_100000", "page-tree", "--max-pages", "DOCMILL_MAX_PAGES",
              "100,000 real pages (1,000 kids of 100 nodes sharing one page "
              "object): over the page limit of 2000",
              [] {
                PdfBuilder pdf;
                const int catalog = pdf.reserve();
                const int root = pdf.reserve();
                const int font = pdf.add(std::string(kHelvetica));
                const int contents = pdf.add_stream("", text_lines(1));
                const int page = pdf.reserve();
                int first_node = 0;
                std::string nodes;
                for (int n = 0; n < 100; ++n) {
                  std::string kids;
                  for (int k = 0; k < 1000; ++k) kids += fmt::format("{} 0 R ", page);
                  const int node = pdf.add(fmt::format(
                      "<< /Type /Pages /Parent {} 0 R /Kids [{}] /Count 1000 >>", root, kids));
                  if (first_node == 0) first_node = node;
                  nodes += fmt::format("{} 0 R ", node);
                }
                pdf.set(page, fmt::format("<< /Type /Page /Parent {} 0 R /MediaBox [0 "
                                          "0 595 842] /Resources << /Font << /F1 {} 0 "
                                          "R >> >> /Contents {} 0 R >>",
                                          first_node, font, contents));
                pdf.set(root, fmt::format("<< /Type /Pages /Kids [{}] /Count 100000 >>", nodes));
                pdf.set(catalog, fmt::format("<< /Type /Catalog /Pages {} 0 R >>", root));
                return pdf.bytes(catalog);
              }));
  HostileCase blank = converted(
      "blank_pages_300", "page-tree", 300,
      "300 pages with nothing on them (no /Contents, an empty stream, white paint): found blank "
      "cheaply, skipped without OCR, and the job completes",
      [] {
        Doc d;
        const int empty = d.pdf.add_stream("", "");
        const int white = d.pdf.add_stream("", "q 1 g 0 0 595 842 re f Q\n");
        for (int i = 0; i < 300; ++i) {
          if (i % 3 == 0) d.add_page_object("");
          if (i % 3 == 1) d.add_page_object(fmt::format("/Contents {} 0 R", empty));
          if (i % 3 == 2) d.add_page_object(fmt::format("/Contents {} 0 R", white));
        }
        return d.finish();
      });
  out.push_back(std::move(blank));

  out.push_back(
      refused("cyclic_page_tree_self", "page-tree", "", "",
              "the only page-tree node lists itself as its kid: it counts one page, "
              "which is a loop; nothing can be read, so it is refused",
              [] {
                PdfBuilder pdf;
                const int catalog = pdf.reserve();
                const int pages = pdf.reserve();
                pdf.set(pages, fmt::format("<< /Type /Pages /Kids [{} 0 R] /Count 1 >>", pages));
                pdf.set(catalog, fmt::format("<< /Type /Catalog /Pages {} 0 R >>", pages));
                return pdf.bytes(catalog);
              }));
  out.push_back(damaged("cyclic_page_tree_ancestor", "page-tree", 3, {3},
                        "pages 1 and 2 are real; the inner node lists the root again, so the "
                        "third counted page is a loop: 1 and 2 convert, 3 is named",
                        [] {
                          Doc d;
                          const int p1 = d.add_page(text_lines(1));
                          const int inner = d.pdf.reserve();
                          const int p2 = d.pdf.add_stream("", text_lines(2));
                          const int page2 = d.pdf.add(fmt::format(
                              "<< /Type /Page /Parent {} 0 R /MediaBox [0 0 595 842] "
                              "/Resources << /Font << /F1 {} 0 R >> >> /Contents {} 0 R >>",
                              inner, d.font(), p2));
                          d.pdf.set(inner, fmt::format("<< /Type /Pages /Parent {} 0 R /Kids [{} "
                                                       "0 R {} 0 R] /Count 2 >>",
                                                       d.pages_node(), page2, d.pages_node()));
                          d.kids = {p1, inner};
                          return d.finish("", "3");
                        }));
  out.push_back(
      make_case("page_tree_depth_10000", "deep-nesting", Outcome::kFailed, 1,
                "one page under a chain of 10,000 page-tree nodes: MuPDF will not look up "
                "inherited attributes that deep ('too much recursion in tree'), so the page "
                "fails with that reason, and the job with it, without a stack overflow",
                [] {
                  constexpr int kDepth = 10000;
                  Doc d;
                  // Node i's kid is node i+1; the last node's kid is the page, whose /Parent it is.
                  std::vector<int> nodes(kDepth);
                  for (auto& n : nodes) n = d.pdf.reserve();
                  const int contents = d.pdf.add_stream("", text_lines(1));
                  const int page = d.pdf.add(fmt::format(
                      "<< /Type /Page /Parent {} 0 R /MediaBox [0 0 595 842] /Resources << "
                      "/Font << /F1 {} 0 R >> >> /Contents {} 0 R >>",
                      nodes.back(), d.font(), contents));
                  for (int i = 0; i < kDepth; ++i) {
                    const int parent = i == 0 ? d.pages_node() : nodes[i - 1];
                    const int kid = i + 1 < kDepth ? nodes[i + 1] : page;
                    d.pdf.set(nodes[i], fmt::format("<< /Type /Pages /Parent {} 0 R /Kids [{} 0 "
                                                    "R] /Count 1 >>",
                                                    parent, kid));
                  }
                  d.kids = {nodes.front()};
                  const std::string pdf = d.finish();
                  return pdf;
                }));
  out.push_back(damaged("page_tree_kid_missing", "page-tree", 3, {2},
                        "the page tree's second kid is an object that does not exist: pages 1 "
                        "and 3 convert, page 2 is named",
                        [] {
                          Doc d;
                          d.add_text_page(1);
                          d.kids.push_back(99999);
                          d.add_text_page(3);
                          return d.finish();
                        }));
}

void add_stream_lengths(std::vector<HostileCase>& out) {
  const auto one_page = [](std::string_view length_of_self) {
    Doc d;
    const int contents = d.pdf.reserve();
    const std::string length = fmt::format(fmt::runtime(length_of_self), contents);
    const std::string data = text_lines(1);
    d.pdf.set(contents, fmt::format("<< {} >>\nstream\n{}\nendstream", length, data));
    d.add_page_object(fmt::format("/Contents {} 0 R", contents));
    return d.finish();
  };
  const std::string why =
      "the stream data and its endstream are there, only /Length is wrong: the text is read "
      "and the layout PDF written (another way if the original cannot be saved)";
  out.push_back(converted("length_self_reference", "stream-length", 1, why,
                          [one_page] { return one_page("/Length {} 0 R"); }));
  out.push_back(converted("length_negative", "stream-length", 1, why,
                          [one_page] { return one_page("/Length -100"); }));
  out.push_back(converted("length_past_end_of_file", "stream-length", 1, why,
                          [one_page] { return one_page("/Length 99999999"); }));
  out.push_back(converted("length_missing", "stream-length", 1, why,
                          [one_page] { return one_page("/Filter /None"); }));
}

void add_object_streams(std::vector<HostileCase>& out) {
  out.push_back(converted(
      "objstm_declares_2pow31_objects", "object-streams", 1,
      "the page's font sits in an object stream whose /N claims 2^31 objects: the page's text "
      "is read (the font falls back if need be) and the layout PDF is still written",
      [] {
        PackedObjects packed;
        packed.count = 1;
        packed.body = [](int) { return std::string(kHelvetica); };
        packed.declared_n = "2147483648";
        return xref_stream_pdf(one_page_plain_objects(), packed, 1);
      }));
  HostileCase many = converted(
      "objects_2_million", "object-streams", 1,
      "one text page plus 2,000,000 small unused objects in 200 object streams (a few MB): "
      "converts, layout PDF included",
      [] {
        PackedObjects packed;
        packed.count = 2'000'000;
        packed.body = [](int i) {
          return i == 0 ? std::string(kHelvetica) : std::string("<</I 1>>");
        };
        return xref_stream_pdf(one_page_plain_objects(), packed, 1);
      });
  out.push_back(std::move(many));
}

// A one-page document whose last lines are drawn with /F2, a font whose ToUnicode CMap maps
// 'A'..'F' to the given UTF-16BE values.
std::string tounicode_document(std::string_view bfchars, int count) {
  Doc d;
  const std::string cmap = fmt::format(
      "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Hostile-UCS def /CMapType 2 def\n"
      "1 begincodespacerange <00> <FF> endcodespacerange\n"
      "{} beginbfchar\n{}endbfchar\n"
      "1 beginbfrange <61> <7A> <0061> endbfrange\n"
      "endcmap CMapName currentdict /CMap defineresource pop end end\n",
      count, bfchars);
  const int to_unicode = d.pdf.add_stream("", cmap);
  const int font = d.pdf.add(
      fmt::format("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding "
                  "/ToUnicode {} 0 R >>",
                  to_unicode));
  std::string content = text_lines(1);
  for (int i = 0; i < 3; ++i) {
    content += fmt::format(
        "BT /F2 11 Tf 72 {} Td (rivers Aflow Bthrough Cthe Dvalley Eand Fplain) Tj ET\n",
        560 - 16 * i);
  }
  d.extra_fonts = fmt::format("/F2 {} 0 R ", font);
  d.add_page(content);
  return d.finish();
}

void add_text_encoding(std::vector<HostileCase>& out) {
  const std::string why =
      "the words are readable; the odd code points are made valid UTF-8 (U+FFFD, or dropped) "
      "before JSON, markdown or the database see them";
  out.push_back(converted("tounicode_lone_surrogates", "text-encoding", 1, why, [] {
    return tounicode_document(
        "<41> <D800>\n<42> <DFFF>\n<43> <DBFF>\n<44> <DC00>\n<45> <D800>\n<46> <DFFF>\n", 6);
  }));
  out.push_back(converted("tounicode_invalid_values", "text-encoding", 1, why, [] {
    return tounicode_document(
        "<41> <0000>\n<42> <DFFFD800>\n<43> <D800D800>\n<44> <FFFF>\n<45> <001B>\n<46> "
        "<00D800>\n",
        6);
  }));
  out.push_back(converted("actualtext_lone_surrogates", "text-encoding", 1, why, [] {
    Doc d;
    d.add_page(text_lines(1) +
               "/Span << /ActualText <FEFFD800D800DC41DFFF> >> BDC BT /F1 11 Tf 72 560 Td "
               "(replaced by its actual text) Tj ET EMC\n"
               "/Span << /ActualText (\\377\\376\\000\\330\\200) >> BDC BT /F1 11 Tf 72 540 "
               "Td (another replaced line) Tj ET EMC\n");
    return d.finish();
  }));
  out.push_back(converted("info_invalid_strings", "text-encoding", 1, why, [] {
    Doc d;
    d.add_text_page(1);
    const int info = d.pdf.add(
        "<< /Title <FEFFD800DC00D800> /Author (\\377\\376\\000\\330) /Subject "
        "(\\200\\201\\377\\000) >>");
    return with_trailer_extra(d.finish(), fmt::format("/Info {} 0 R", info));
  }));
}

void add_fanout_and_bombs(std::vector<HostileCase>& out) {
  HostileCase fanout = damaged(
      "xobject_fanout_1e10", "resource-exhaustion", 3, {2},
      "page 2 draws a form that draws the next one 10 times, 10 levels deep (10^10 draws): "
      "page 2 fails on the page time limit (naming it), pages 1 and 3 convert",
      [] {
        return sandwich([](Doc& d) {
          int below = d.pdf.add_stream("/Type /XObject /Subtype /Form /BBox [0 0 600 600]",
                                       "0 g 10 10 20 20 re f\n");
          for (int level = 1; level <= 10; ++level) {
            below = d.pdf.add_stream(
                fmt::format("/Type /XObject /Subtype /Form /BBox [0 0 600 600] /Resources << "
                            "/XObject << /X {} 0 R >> >>",
                            below),
                "/X Do /X Do /X Do /X Do /X Do /X Do /X Do /X Do /X Do /X Do\n");
          }
          d.add_page("/X Do\n", fmt::format("/XObject << /X {} 0 R >>", below));
        });
      });
  out.push_back(std::move(fanout));
  out.push_back(converted("xobject_cycle", "resource-exhaustion", 3,
                          "page 2 has its text and a form that draws a form that draws the "
                          "first: the cycle is cut, the text is read",
                          [] {
                            return sandwich([](Doc& d) {
                              const int x0 = d.pdf.reserve();
                              const int x1 = d.pdf.reserve();
                              const std::string form =
                                  "/Type /XObject /Subtype /Form /BBox [0 0 600 600] "
                                  "/Resources << /XObject << /X {} 0 R >> >>";
                              d.pdf.set_stream(x0, fmt::format(fmt::runtime(form), x1), "/X Do\n");
                              d.pdf.set_stream(x1, fmt::format(fmt::runtime(form), x0), "/X Do\n");
                              d.add_page(text_lines(2) + "/X Do\n",
                                         fmt::format("/XObject << /X {} 0 R >>", x0));
                            });
                          }));

  constexpr size_t kMiB = size_t{1} << 20;
  constexpr size_t kGiB = size_t{1} << 30;
  out.push_back(converted(
      "flate_bomb_content_128mib", "decompression-bomb", 3,
      "page 2's text comes after a content stream that inflates to 128 MiB of whitespace from "
      "130 KB: read as a stream, never held whole, done in seconds, so the page converts",
      [] {
        return sandwich([](Doc& d) {
          const int bomb =
              d.pdf.add_stream("/Filter /FlateDecode", flate_repeated(' ', 128 * kMiB));
          const int text = d.pdf.add_stream("", text_lines(2));
          d.add_page_object(fmt::format("/Contents [{} 0 R {} 0 R]", bomb, text));
        });
      }));
  out.push_back(damaged(
      "flate_bomb_nested_64gib", "decompression-bomb", 3, {2},
      "page 2's content stream inflates through two Flate filters to 64 GiB of whitespace from "
      "about 100 KB: no machine reads that within the page time limit, so page 2 fails naming "
      "the limit; 1 and 3 convert",
      [] {
        return sandwich([](Doc& d) {
          const int bomb = d.pdf.add_stream("/Filter [/FlateDecode /FlateDecode]",
                                            flate_encode(flate_repeated('\n', 64 * kGiB)));
          const int text = d.pdf.add_stream("", text_lines(2));
          d.add_page_object(fmt::format("/Contents [{} 0 R {} 0 R]", bomb, text));
        });
      }));
  out.push_back(converted(
      "flate_bomb_metadata_1gib", "decompression-bomb", 1,
      "the catalog's /Metadata stream inflates to 1 GiB from 1 MB; no page draws it: the text "
      "is read and the layout PDF is written without inflating it whole",
      [] {
        Doc d;
        d.add_text_page(1);
        const int metadata = d.pdf.add_stream("/Type /Metadata /Subtype /XML /Filter /FlateDecode",
                                              flate_repeated(' ', kGiB));
        return d.finish(fmt::format("/Metadata {} 0 R", metadata));
      }));
  out.push_back(
      converted("image_bomb_1gib", "decompression-bomb", 3,
                "page 2 has its text and a 32768 x 32768 white image (1 GiB inflated) drawn 1 inch "
                "wide: nothing needs it at full size, the text is read",
                [] {
                  return sandwich([](Doc& d) {
                    const int image = d.pdf.add_stream(
                        "/Type /XObject /Subtype /Image /Width 32768 /Height 32768 /ColorSpace "
                        "/DeviceGray /BitsPerComponent 8 /Filter /FlateDecode",
                        flate_repeated('\xFF', kGiB));
                    d.add_page(text_lines(2) + "q 72 0 0 72 400 100 cm /Im0 Do Q\n",
                               fmt::format("/XObject << /Im0 {} 0 R >>", image));
                  });
                }));
  out.push_back(converted(
      "image_bomb_1gib_scan", "decompression-bomb", 3,
      "page 2 is only a 32768 x 32768 white image (1 GiB inflated) filling the page: drawn "
      "for OCR within the memory limit, it is a blank page, not a failure",
      [] {
        return sandwich([](Doc& d) {
          add_image_page(d,
                         "/Type /XObject /Subtype /Image /Width 32768 /Height 32768 /ColorSpace "
                         "/DeviceGray /BitsPerComponent 8 /Filter /FlateDecode",
                         flate_repeated('\xFF', kGiB));
        });
      }));
  out.push_back(converted("image_dimensions_2e9", "decompression-bomb", 3,
                          "page 2 has its text and an image that claims 2e9 x 2e9 pixels with "
                          "100 bytes of data: the image is skipped, the text is read",
                          [] {
                            return sandwich([](Doc& d) {
                              const int image = d.pdf.add_stream(
                                  "/Type /XObject /Subtype /Image /Width 2000000000 /Height "
                                  "2000000000 /ColorSpace /DeviceRGB /BitsPerComponent 8 "
                                  "/Filter /FlateDecode",
                                  flate_encode(std::string(100, '\x80')));
                              d.add_page(text_lines(2) + "q 72 0 0 72 400 100 cm /Im0 Do Q\n",
                                         fmt::format("/XObject << /Im0 {} 0 R >>", image));
                            });
                          }));
}

// 100,000 nested arrays or dictionaries, as an indirect object the page refers to under a key
// nobody reads: every parser that walks the whole file meets it.
std::string deep_object_document(bool dicts) {
  constexpr int kDepth = 100000;
  std::string deep;
  deep.reserve(kDepth * 8);
  for (int i = 0; i < kDepth; ++i) deep += dicts ? "<< /A " : "[";
  deep += "0";
  for (int i = 0; i < kDepth; ++i) deep += dicts ? " >>" : "]";
  Doc d;
  const int junk = d.pdf.add(deep);
  d.add_page(text_lines(1), "", fmt::format("/PieceInfo {} 0 R", junk));
  return d.finish();
}

void add_deep_nesting(std::vector<HostileCase>& out) {
  out.push_back(converted("nested_arrays_100000", "deep-nesting", 1,
                          "an object of 100,000 nested arrays hangs off the page under a key "
                          "nothing needs: the text is read, no stack overflow",
                          [] { return deep_object_document(false); }));
  out.push_back(converted("nested_dicts_100000", "deep-nesting", 1,
                          "as nested_arrays_100000 with dictionaries",
                          [] { return deep_object_document(true); }));
  out.push_back(converted("q_nesting_100000", "deep-nesting", 1,
                          "the text is drawn inside 100,000 nested q ... Q: it is read", [] {
                            Doc d;
                            std::string content;
                            for (int i = 0; i < 100000; ++i) content += "q\n";
                            content += text_lines(1);
                            for (int i = 0; i < 100000; ++i) content += "Q\n";
                            d.add_page(content);
                            return d.finish();
                          }));
  out.push_back(converted("q_unbalanced_100000", "deep-nesting", 1,
                          "100,000 q never closed, then the text: it is read", [] {
                            Doc d;
                            std::string content;
                            for (int i = 0; i < 100000; ++i) content += "q 1 0 0 1 0 0 cm\n";
                            d.add_page(content + text_lines(1));
                            return d.finish();
                          }));
}

void add_page_sizes(std::vector<HostileCase>& out) {
  out.push_back(converted("mediabox_14400_userunit_75", "huge-mediabox", 1,
                          "a 14400 pt page at /UserUnit 75 (250 m a side) with text: read from "
                          "the text layer, nothing rendered at full size",
                          [] {
                            Doc d;
                            d.add_page(text_lines(1, 14300), "", "/UserUnit 75",
                                       "[0 0 14400 14400]");
                            return d.finish();
                          }));
  out.push_back(converted("mediabox_14400_userunit_75_scan", "huge-mediabox", 1,
                          "the same page holding only a scan: rendered for OCR at the dpi the "
                          "pixel budget allows (with a warning), not refused",
                          [] {
                            const auto scan = render_pages(text_document(1), 100).at(0);
                            Doc d;
                            const std::string pixels(
                                reinterpret_cast<const char*>(scan.pixels.data()),
                                scan.pixels.size());
                            const int image = d.pdf.add_stream(
                                fmt::format("/Type /XObject /Subtype /Image /Width {} /Height {} "
                                            "/ColorSpace /DeviceGray /BitsPerComponent 8 "
                                            "/Filter /FlateDecode",
                                            scan.width, scan.height),
                                flate_encode(pixels));
                            d.add_page("q 14400 0 0 14400 0 0 cm /Im0 Do Q\n",
                                       fmt::format("/XObject << /Im0 {} 0 R >>", image),
                                       "/UserUnit 75", "[0 0 14400 14400]");
                            return d.finish();
                          }));
  out.push_back(converted("mediabox_1e30", "huge-mediabox", 1,
                          "a MediaBox of 1e30 pt with text at its top: the text is read", [] {
                            Doc d;
                            d.add_page(text_lines(1), "", "", "[0 0 1e30 1e30]");
                            return d.finish();
                          }));
  out.push_back(converted("mediabox_inverted", "huge-mediabox", 1,
                          "MediaBox corners given the wrong way round: normalised, converts", [] {
                            Doc d;
                            d.add_page(text_lines(1), "", "", "[595 842 0 0]");
                            return d.finish();
                          }));
  out.push_back(converted("mediabox_not_numbers", "huge-mediabox", 1,
                          "a MediaBox of names and strings: a default size, and the text is read",
                          [] {
                            Doc d;
                            d.add_page(text_lines(1), "", "", "[/a (b) /c (d)]");
                            return d.finish();
                          }));
}

void add_corrupt_images(std::vector<HostileCase>& out) {
  const auto image_case = [&](std::string name, std::string dict, std::string data) {
    out.push_back(
        damaged(std::move(name), "corrupt-image", 3, {2},
                "page 2 is a single image whose data cannot be decoded: nothing on it "
                "can be read, so it is named (not passed off as blank); 1 and 3 convert",
                [dict, data] { return sandwich([&](Doc& d) { add_image_page(d, dict, data); }); }));
  };
  const std::string bilevel =
      "/Type /XObject /Subtype /Image /Width 1700 /Height 2200 /ColorSpace /DeviceGray "
      "/BitsPerComponent 1 ";
  image_case("jbig2_garbage", bilevel + "/Filter /JBIG2Decode", noise(6000, 11));
  image_case("jbig2_bad_segment_header", bilevel + "/Filter /JBIG2Decode",
             // A segment header (number 0, type 48 page information) claiming 4 GB of data.
             std::string("\x00\x00\x00\x00\x30\x00\x01\xFF\xFF\xFF\xFF", 11) + noise(3000, 12));
  image_case("jpx_garbage",
             "/Type /XObject /Subtype /Image /Width 1700 /Height 2200 /Filter "
             "/JPXDecode",
             std::string("\x00\x00\x00\x0CjP  \r\n\x87\n", 12) + noise(6000, 13));
  image_case("jpx_codestream_garbage",
             "/Type /XObject /Subtype /Image /Width 1700 /Height 2200 /Filter /JPXDecode",
             // A raw J2K codestream: SOC, then an SIZ marker claiming 2^32-1 x 2^32-1 pixels.
             std::string("\xFF\x4F\xFF\x51\x00\x29\x00\x00\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF", 16) +
                 noise(4000, 14));
  image_case("ccitt_garbage",
             bilevel + "/Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns 1700 /Rows 2200 >>",
             noise(6000, 15));
  image_case("dct_garbage",
             "/Type /XObject /Subtype /Image /Width 1700 /Height 2200 /ColorSpace /DeviceGray "
             "/BitsPerComponent 8 /Filter /DCTDecode",
             std::string("\xFF\xD8\xFF\xDB", 4) + noise(6000, 16));
}

// A page with its text in /F1 and one more line in /F9, a font whose embedded program is
// `program` (nullopt: a reference to an object that does not exist).
std::string broken_font_document(std::string_view font_type, std::string_view file_key,
                                 std::string_view file_dict,
                                 std::optional<std::string_view> program) {
  Doc d;
  const int file = program ? d.pdf.add_stream(file_dict, *program) : 99999;
  std::string widths;
  for (int i = 32; i <= 126; ++i) widths += "500 ";
  const int descriptor = d.pdf.add(fmt::format(
      "<< /Type /FontDescriptor /FontName /Broken /Flags 32 /FontBBox [0 -200 1000 900] "
      "/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /{} {} 0 R >>",
      file_key, file));
  const int font = d.pdf.add(
      fmt::format("<< /Type /Font /Subtype /{} /BaseFont /Broken /FirstChar 32 /LastChar 126 "
                  "/Widths [{}] /Encoding /WinAnsiEncoding /FontDescriptor {} 0 R >>",
                  font_type, widths, descriptor));
  d.extra_fonts = fmt::format("/F9 {} 0 R ", font);
  d.add_page(text_lines(1) + "BT /F9 11 Tf 72 560 Td (This line uses the broken font.) Tj ET\n");
  return d.finish();
}

void add_broken_fonts(std::vector<HostileCase>& out) {
  const std::string why =
      "the embedded font program is noise: a substitute font is used, the text (WinAnsi "
      "codes) is read";
  out.push_back(converted("font_truetype_garbage", "broken-font", 1, why, [] {
    // A TrueType header claiming 65535 tables, then noise.
    return broken_font_document("TrueType", "FontFile2", "",
                                std::string("\x00\x01\x00\x00\xFF\xFF", 6) + noise(8000, 21));
  }));
  out.push_back(converted("font_type1_garbage", "broken-font", 1, why, [] {
    return broken_font_document("Type1", "FontFile", "/Length1 2000 /Length2 6000 /Length3 0",
                                "%!PS-AdobeFont-1.0: Broken\n" + noise(8000, 22));
  }));
  out.push_back(converted("font_cff_garbage", "broken-font", 1, why, [] {
    return broken_font_document("Type1", "FontFile3", "/Subtype /Type1C",
                                std::string("\x01\x00\x04\x04", 4) + noise(8000, 23));
  }));
  out.push_back(converted("font_opentype_garbage", "broken-font", 1, why, [] {
    return broken_font_document("TrueType", "FontFile3", "/Subtype /OpenType",
                                "OTTO" + noise(8000, 24));
  }));
  out.push_back(converted("font_file_missing_object", "broken-font", 1, why, [] {
    return broken_font_document("TrueType", "FontFile2", "", std::nullopt);
  }));
  out.push_back(
      converted("type3_font_recursive", "broken-font", 3,
                "page 2 uses a Type 3 glyph that draws itself with its own font: MuPDF's run of "
                "the page ends in 'exception stack overflow' after the page's ordinary text, "
                "which is read (with a warning); no crash",
                [] {
                  return sandwich([](Doc& d) {
                    const int font = d.pdf.reserve();
                    const int glyph =
                        d.pdf.add_stream("", "1000 0 d0 BT /T3 1 Tf (a) Tj ET 0 0 500 500 re f\n");
                    d.pdf.set(font, fmt::format("<< /Type /Font /Subtype /Type3 /FontBBox [0 0 "
                                                "1000 1000] /FontMatrix [0.001 0 0 0.001 0 0] "
                                                "/CharProcs << /a {} 0 R >> /Encoding << /Type "
                                                "/Encoding /Differences [97 /a] >> /FirstChar 97 "
                                                "/LastChar 97 /Widths [1000] /Resources << /Font "
                                                "<< /T3 {} 0 R >> >> >>",
                                                glyph, font));
                    d.extra_fonts = fmt::format("/T3 {} 0 R ", font);
                    d.add_page(text_lines(2) + "BT /T3 11 Tf 72 560 Td (aaaa) Tj ET\n");
                  });
                }));
}

void add_broken_pages(std::vector<HostileCase>& out) {
  const auto broken = [&](std::string name, BrokenPage kind, Outcome expected, std::string why) {
    HostileCase c = make_case(std::move(name), "broken-page", expected, 3, std::move(why),
                              [kind] { return pdf_with_broken_page(kind); });
    if (expected == Outcome::kDamagedPagesNamed) c.damaged_pages = {2};
    out.push_back(std::move(c));
  };
  broken("broken_page_garbage_image", BrokenPage::kGarbageImage, Outcome::kDamagedPagesNamed,
         "page 2 is one image whose Flate data is noise: named; 1 and 3 convert");
  broken("broken_page_missing_contents", BrokenPage::kMissingContents, Outcome::kDamagedPagesNamed,
         "page 2's /Contents points at an object that does not exist: its content is lost, not "
         "blank, so it is named; 1 and 3 convert");
  broken("broken_page_garbage_contents", BrokenPage::kGarbageContents, Outcome::kDamagedPagesNamed,
         "page 2's content stream is Flate-flagged noise: named; 1 and 3 convert");
  broken("broken_page_empty_mediabox", BrokenPage::kEmptyMediaBox, Outcome::kConverted,
         "page 2 has /MediaBox [0 0 0 0] but readable text: a default size, and it converts");
  out.push_back(make_case("every_page_garbage_contents", "broken-page", Outcome::kFailed, 2,
                          "both pages' content streams are Flate-flagged noise: the file opens "
                          "and counts its pages, but no page can be read, so every page fails "
                          "with its reason (the job fails)",
                          [] {
                            Doc d;
                            for (int i = 0; i < 2; ++i) {
                              const int contents =
                                  d.pdf.add_stream("/Filter /FlateDecode",
                                                   noise(5000, 31 + static_cast<std::uint32_t>(i)));
                              d.add_page_object(fmt::format("/Contents {} 0 R", contents));
                            }
                            return d.finish();
                          }));
}

std::string escape_tsv(std::string_view s) {
  std::string out;
  for (char c : s) out += (c == '\t' || c == '\n') ? ' ' : c;
  return out;
}

}  // namespace

std::string_view to_string(HostileOutcome outcome) {
  switch (outcome) {
    case Outcome::kRefused:
      return "refused";
    case Outcome::kFailed:
      return "failed";
    case Outcome::kDamagedPagesNamed:
      return "damaged_pages_named";
    case Outcome::kConverted:
      return "converted";
  }
  return "?";
}

void PrintTo(const HostileCase& c, std::ostream* os) {
  *os << c.name << " (" << c.category << ", expected " << to_string(c.expected) << ")";
}

std::vector<HostileCase> hostile_corpus() {
  std::vector<HostileCase> out;
  add_not_a_pdf(out);
  add_encrypted(out);
  add_xref(out);
  add_truncated(out);
  add_page_tree(out);
  add_stream_lengths(out);
  add_object_streams(out);
  add_text_encoding(out);
  add_fanout_and_bombs(out);
  add_deep_nesting(out);
  add_page_sizes(out);
  add_corrupt_images(out);
  add_broken_fonts(out);
  add_broken_pages(out);
  return out;
}

std::string expected_tsv_header() {
  return "name\tcategory\texpected\tconvert_reason\tserve_reason\tdamaged_pages\tpages\twhy";
}

std::string expected_tsv_line(const HostileCase& c) {
  std::string damaged;
  for (int p : c.damaged_pages) damaged += (damaged.empty() ? "" : ",") + std::to_string(p);
  return fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}", c.name, c.category, to_string(c.expected),
                     escape_tsv(c.convert_reason), escape_tsv(c.serve_reason), damaged, c.pages,
                     escape_tsv(c.why));
}

bool names_page(std::string_view text, int page) {
  // "page 3", "pages 2, 3 and 5", "pages 2-4": the word, then a list of numbers and ranges.
  const std::regex kList(R"(pages?\s+((?:\d+(?:\s*-\s*\d+)?(?:\s*(?:,|and)\s*)?)+))",
                         std::regex::icase);
  const std::regex kItem(R"((\d+)(?:\s*-\s*(\d+))?)");
  const std::string s(text);
  for (auto it = std::sregex_iterator(s.begin(), s.end(), kList); it != std::sregex_iterator();
       ++it) {
    const std::string list = (*it)[1];
    for (auto item = std::sregex_iterator(list.begin(), list.end(), kItem);
         item != std::sregex_iterator(); ++item) {
      const int from = std::stoi((*item)[1]);
      const int to = (*item)[2].matched ? std::stoi((*item)[2]) : from;
      if (page >= from && page <= to) return true;
    }
  }
  return false;
}

}  // namespace docmill::testing
