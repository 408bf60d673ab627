// Real documents from ../shared/corpus: loose quality checks against the ground truth text.
// The corpus is not part of the repository; where it is absent these tests skip and say so.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "ocr/tesseract_engine.h"
#include "support/conversion.h"
#include "support/pdf_factory.h"

namespace docmill {
namespace {

using namespace docmill::testing;
namespace fs = std::filesystem;

// The dev corpus: DOCMILL_CORPUS_DIR/dev (born/, scan/, gt/), or the macro's folder itself when
// it already is one.
std::optional<fs::path> corpus_dir() {
  const fs::path root = DOCMILL_CORPUS_DIR;
  for (const auto& d : {root / "dev", root}) {
    if (fs::is_directory(d / "gt") && fs::is_directory(d / "born")) return d;
  }
  return std::nullopt;
}

#define REQUIRE_CORPUS(var)                                      \
  const auto var = corpus_dir();                                 \
  if (!var)                                                      \
    GTEST_SKIP() << "corpus not found at " << DOCMILL_CORPUS_DIR \
                 << " (expected dev/born, dev/scan and dev/gt): skipped";

// Words of UTF-8 text, lower-cased (ASCII letters; other scripts' bytes kept as they are).
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> out;
  std::string w;
  const auto flush = [&] {
    if (!w.empty()) out.push_back(std::exchange(w, {}));
  };
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c >= 0x80) {
      w += static_cast<char>(std::tolower(c));
    } else {
      flush();
    }
  }
  flush();
  return out;
}

size_t letters(std::string_view w) {
  // Code points, not bytes: "größe" has five letters.
  return static_cast<size_t>(std::ranges::count_if(
      w, [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// The `n` most frequent words of at least five letters in `gt` (no numbers).
std::vector<std::string> frequent_words(std::string_view gt, size_t n) {
  std::map<std::string, int> count;
  for (auto& w : words_of(gt)) {
    if (letters(w) >= 5 && !std::ranges::all_of(w, [](char c) {
          return std::isdigit(static_cast<unsigned char>(c));
        })) {
      ++count[w];
    }
  }
  std::vector<std::pair<std::string, int>> v(count.begin(), count.end());
  std::ranges::stable_sort(v, [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size() && i < n; ++i) out.push_back(v[i].first);
  return out;
}

// Share of the ground truth's 50 most frequent long words that the output contains.
void expect_words_recovered(const std::string& markdown, const fs::path& gt_file, double share) {
  const std::string gt = read_bytes(gt_file);
  ASSERT_FALSE(gt.empty()) << gt_file;
  const auto top = frequent_words(gt, 50);
  ASSERT_GE(top.size(), 20u);
  const auto out_words = words_of(markdown);
  const std::set<std::string> have(out_words.begin(), out_words.end());
  std::vector<std::string> missing;
  for (const auto& w : top) {
    if (!have.contains(w)) missing.push_back(w);
  }
  const double got = 1.0 - static_cast<double>(missing.size()) / static_cast<double>(top.size());
  std::string list;
  for (const auto& m : missing) list += m + " ";
  EXPECT_GE(got, share) << "missing: " << list;
}

int count_method(const Conversion& c, std::string_view method) {
  int n = 0;
  for (const auto& p : c.pages) n += p["method"] == method;
  return n;
}

TEST(Corpus, BornDigitalPaperFromTheTextLayer) {
  REQUIRE_CORPUS(dir);
  const auto c = convert_file(*dir / "born" / "llncs-example.pdf", fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  EXPECT_EQ(c->summary->failed_pages, 0);
  EXPECT_EQ(count_method(*c, "text_layer"), c->summary->pages);
  expect_words_recovered(c->markdown, *dir / "gt" / "llncs-example.txt", 0.9);
  // The numbered section titles of the outline are markdown headings.
  int headings = 0;
  for (const char* h : {"# 1 Introduction", "# 2 Contribution", "# 3 Conclusion"}) {
    headings += c->markdown.find(h) != std::string::npos;
  }
  EXPECT_GE(headings, 2) << c->markdown;
}

// A landscape reference card in three columns, each a list of commands beside their
// descriptions: read in the text layer's reading flow, a section's commands and descriptions
// come before the next section (geometric column finding had interleaved the columns).
TEST(Corpus, ReferenceCardReadSectionBySection) {
  REQUIRE_CORPUS(dir);
  const auto c = convert_file(*dir / "born" / "octave-refcard.pdf", fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  EXPECT_EQ(count_method(*c, "text_layer"), c->summary->pages);
  const auto at = [&](std::string_view s) { return c->markdown.find(s); };
  ASSERT_NE(at("Starting Octave"), std::string::npos);
  ASSERT_NE(at("describe command line options"), std::string::npos);
  ASSERT_NE(at("Killing and Yanking"), std::string::npos);
  EXPECT_LT(at("Starting Octave"), at("describe command line options"));
  EXPECT_LT(at("describe command line options"), at("Killing and Yanking")) << c->markdown;
}

TEST(Corpus, ScannedPaperByOcr) {
  REQUIRE_CORPUS(dir);
  const auto c = convert_file(*dir / "scan" / "llncs-example.pdf", fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  EXPECT_EQ(c->summary->failed_pages, 0);
  EXPECT_EQ(c->summary->ocr_pages, c->summary->pages);
  for (const auto& p : c->pages) {
    ASSERT_TRUE(p["mean_confidence"].is_number());
    EXPECT_GT(p["mean_confidence"].get<double>(), 50) << "page " << p["page"];
  }
  expect_words_recovered(c->markdown, *dir / "gt" / "llncs-example.txt", 0.8);
}

TEST(Corpus, GermanScanWithGermanModel) {
  REQUIRE_CORPUS(dir);
  const auto langs = installed_tesseract_languages();
  if (std::ranges::find(langs, "deu") == langs.end()) {
    GTEST_SKIP() << "Tesseract's German model is not installed (apt-get install tesseract-ocr-deu)";
  }
  ConvertOptions o = fast_options();
  o.read.lang = "deu";
  const auto c = convert_file(*dir / "scan" / "schule-geschichte.pdf", o);
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  EXPECT_EQ(c->summary->failed_pages, 0);
  EXPECT_EQ(c->summary->ocr_pages, c->summary->pages);
  expect_words_recovered(c->markdown, *dir / "gt" / "schule-geschichte.txt", 0.8);
  // Umlauts survive as UTF-8.
  EXPECT_TRUE(c->markdown.find("\xC3\xBC") != std::string::npos ||
              c->markdown.find("\xC3\xA4") != std::string::npos ||
              c->markdown.find("\xC3\xB6") != std::string::npos);
}

}  // namespace
}  // namespace docmill
