#include "support/conversion.h"

#include <algorithm>
#include <cctype>
#include <mutex>

#include "support/pdf_factory.h"

namespace docmill::testing {

const nlohmann::json& Conversion::page(int page) const {
  static const nlohmann::json kNull;
  if (!pages.is_array()) return kNull;
  for (const auto& p : pages) {
    if (p.value("page", -1) == page) return p;
  }
  return kNull;
}

namespace {

void run(Conversion& c, const ConvertOptions& options) {
  c.out = c.dir / "out";
  std::mutex mu;  // the callback may come from any worker
  c.summary = convert_document(c.input, c.out, options, [&](const ConvertProgress& p) {
    std::lock_guard lock(mu);
    c.progress.push_back(p);
  });
  c.markdown = read_bytes(c.out / "output.md");
  c.markdown_det = read_bytes(c.out / "output_det.md");
  c.pages = nlohmann::json::parse(read_bytes(c.out / kPagesJsonFile), nullptr,
                                  /*allow_exceptions=*/false);
  if (c.pages.is_discarded()) c.pages = nullptr;
}

}  // namespace

std::unique_ptr<Conversion> convert_file(const std::filesystem::path& pdf,
                                         const ConvertOptions& options) {
  auto c = std::make_unique<Conversion>();
  c->input = pdf;
  run(*c, options);
  return c;
}

std::unique_ptr<Conversion> convert_bytes(std::string_view pdf, const ConvertOptions& options) {
  auto c = std::make_unique<Conversion>();
  c->input = c->dir / "input.pdf";
  write_bytes(c->input, pdf);
  run(*c, options);
  return c;
}

ConvertOptions fast_options() {
  ConvertOptions o;
  o.read.dpi = 200;
  o.threads = 2;
  return o;
}

size_t find_ci(std::string_view haystack, std::string_view needle) {
  const auto it = std::ranges::search(haystack, needle, [](char a, char b) {
                    return std::tolower(static_cast<unsigned char>(a)) ==
                           std::tolower(static_cast<unsigned char>(b));
                  }).begin();
  return it == haystack.end() && !needle.empty() ? std::string_view::npos
                                                 : static_cast<size_t>(it - haystack.begin());
}

bool contains_ci(std::string_view haystack, std::string_view needle) {
  return find_ci(haystack, needle) != std::string_view::npos;
}

}  // namespace docmill::testing
