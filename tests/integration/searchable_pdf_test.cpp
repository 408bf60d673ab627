// searchable.pdf read back by Poppler's pdftotext, as a user's viewer or indexer would: the OCR
// text comes back in reading order, close to output.md; each word sits inside the box OCR gave
// it; text-layer pages and the rest of the original are left exactly as they were.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include "pipeline/output_writer.h"
#include "support/command_output.h"
#include "support/conversion.h"
#include "support/pdf_factory.h"

namespace docmill {
namespace {

using namespace docmill::testing;
using nlohmann::json;

const std::vector<std::string> kLines = {
    "Searchable scans keep the page as it was printed",
    "while an invisible layer carries every word that",
    "optical character recognition found on the sheet",
    "so readers select copy and search the old report",
};

std::vector<TextRun> text_runs() {
  std::vector<TextRun> runs;
  float y = 120;
  for (const auto& line : kLines) {
    runs.push_back({72, y, 16, false, line});
    y += 30;
  }
  return runs;
}

// The page as a 200 dpi scan: one image filling an A4 page.
PageSpec scanned_page() {
  PageSpec page;
  page.images.push_back(
      {render_pages(text_pdf({text_runs()}), 200).at(0), {0, 0, kA4Width, kA4Height}});
  return page;
}

// Lower case, words separated by single spaces, markdown marks and the page split left out.
std::string normalized(std::string_view text) {
  std::string out;
  bool space = false;
  for (const char c : text) {
    if (c == '#' || c == '*' || c == '|') continue;
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

double cer(std::string_view ref, std::string_view hyp) {
  std::vector<size_t> row(hyp.size() + 1);
  for (size_t j = 0; j <= hyp.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= ref.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= hyp.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (ref[i - 1] != hyp[j - 1])});
      diag = up;
    }
  }
  return ref.empty() ? 0 : static_cast<double>(row[hyp.size()]) / static_cast<double>(ref.size());
}

std::string markdown_text(const std::string& md) {
  std::string out;
  size_t start = 0;
  while (start < md.size()) {
    size_t end = md.find('\n', start);
    if (end == std::string::npos) end = md.size();
    const std::string_view line(md.data() + start, end - start);
    if (line.find("Page Split") == std::string_view::npos) {
      out += line;
      out += '\n';
    }
    start = end + 1;
  }
  return out;
}

struct PlacedWord {
  std::string text;
  Box box;
};

// pdftotext -bbox's words of 0-based `page`.
std::vector<PlacedWord> pdftotext_words(const std::filesystem::path& pdf, int page) {
  auto html = command_output("pdftotext -bbox -f " + std::to_string(page + 1) + " -l " +
                             std::to_string(page + 1) + " '" + pdf.string() + "' -");
  EXPECT_TRUE(html.has_value());
  std::vector<PlacedWord> words;
  if (!html) return words;
  static const std::regex kWord(
      R"re(<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>)re");
  for (std::sregex_iterator it(html->begin(), html->end(), kWord), end; it != end; ++it) {
    words.push_back({(*it)[5].str(),
                     {std::stof((*it)[1].str()), std::stof((*it)[2].str()),
                      std::stof((*it)[3].str()), std::stof((*it)[4].str())}});
  }
  return words;
}

class SearchablePdfTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_tool("pdftotext")) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  }
};

TEST_F(SearchablePdfTest, ScanComesBackAsTextWithinSmallCerOfOutputMd) {
  auto c = convert_bytes(make_pdf({scanned_page()}), fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  const auto searchable = c->out / kSearchablePdfFile;
  ASSERT_TRUE(std::filesystem::exists(searchable));
  auto text = command_output("pdftotext -enc UTF-8 '" + searchable.string() + "' -");
  ASSERT_TRUE(text.has_value());
  const std::string got = normalized(*text);
  const std::string want = normalized(markdown_text(c->markdown));
  ASSERT_FALSE(want.empty());
  EXPECT_LT(cer(want, got), 0.02) << "pdftotext:\n" << got << "\noutput.md:\n" << want;
  // In reading order: the lines as printed, one after another.
  size_t at = 0;
  for (const auto& line : kLines) {
    const size_t found = got.find(normalized(line), at);
    EXPECT_NE(found, std::string::npos) << line << "\nin\n" << got;
    if (found != std::string::npos) at = found;
  }
}

TEST_F(SearchablePdfTest, WordsSitInsideTheirOcrBoxes) {
  auto c = convert_bytes(make_pdf({scanned_page()}), fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  const json& lines = c->page(0)["ocr_lines"];
  ASSERT_TRUE(lines.is_array());
  std::vector<std::pair<PlacedWord, Box>> ocr;  // word (its box) and its line's box
  for (const auto& l : lines) {
    const Box line{l["box"][0], l["box"][1], l["box"][2], l["box"][3]};
    for (const auto& w : l["words"]) ocr.push_back({{w[4], {w[0], w[1], w[2], w[3]}}, line});
  }
  const auto words = pdftotext_words(c->out / kSearchablePdfFile, 0);
  ASSERT_GE(words.size(), 30u);
  ASSERT_EQ(words.size(), ocr.size());
  constexpr float kSlack = 1.0f;  // points: pdftotext prints its own rounding of the glyph box
  for (size_t i = 0; i < words.size(); ++i) {
    const auto& [word, line] = ocr[i];
    const Box& got = words[i].box;
    EXPECT_EQ(words[i].text, word.text);
    EXPECT_GE(got.x0, word.box.x0 - kSlack) << word.text;
    EXPECT_LE(got.x1, word.box.x1 + kSlack) << word.text;
    EXPECT_GE(got.y0, line.y0 - kSlack) << word.text;
    EXPECT_LE(got.y1, line.y1 + kSlack) << word.text;
    // And fills it: stretched to the box, not a point inside it.
    EXPECT_GT(got.width(), 0.6f * word.box.width()) << word.text;
  }
}

TEST_F(SearchablePdfTest, SidewaysScanIsSearchableWhereItWasRead) {
  auto c = convert_bytes(scanned_pdf(text_pdf({text_runs()}), 200, 90), fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  ASSERT_NE(c->page(0)["rotation"].get<int>(), 0) << "the page should have been turned for OCR";
  auto text =
      command_output("pdftotext -enc UTF-8 '" + (c->out / kSearchablePdfFile).string() + "' -");
  ASSERT_TRUE(text.has_value());
  const std::string got = normalized(*text);
  EXPECT_NE(got.find("invisible layer carries every word"), std::string::npos) << got;
  // The words lie over the sideways lines: a word box taller than wide, in the page frame.
  const auto words = pdftotext_words(c->out / kSearchablePdfFile, 0);
  ASSERT_FALSE(words.empty());
  const auto longest =
      std::ranges::max_element(words, {}, [](const PlacedWord& w) { return w.text.size(); });
  EXPECT_GT(longest->box.height(), longest->box.width()) << longest->text;
}

TEST_F(SearchablePdfTest, TextLayerPagesAndTheOriginalBytesStayAsTheyWere) {
  const std::string input = make_pdf({paper_page(), scanned_page()});
  auto c = convert_bytes(input, fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  ASSERT_EQ(c->page(0)["method"], "text_layer");
  ASSERT_EQ(c->page(1)["method"], "ocr");
  const std::string out = read_bytes(c->out / kSearchablePdfFile);
  // An incremental update: the input, byte for byte, with the text layer appended after it
  // (so its metadata, outline and every page's content are kept).
  ASSERT_GT(out.size(), input.size());
  EXPECT_EQ(out.substr(0, input.size()), input);
  // The born-digital page reads the same, with nothing added to it.
  const auto page_text = [](const std::filesystem::path& pdf, int page) {
    return command_output("pdftotext -enc UTF-8 -f " + std::to_string(page) + " -l " +
                          std::to_string(page) + " '" + pdf.string() + "' -");
  };
  EXPECT_EQ(page_text(c->out / kSearchablePdfFile, 1), page_text(c->input, 1));
  EXPECT_NE(page_text(c->out / kSearchablePdfFile, 2)->find("invisible"), std::string::npos);
}

TEST_F(SearchablePdfTest, DocumentWithoutOcrPagesIsTheInputItself) {
  const std::string input = paper_pdf();
  auto c = convert_bytes(input, fast_options());
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  EXPECT_EQ(read_bytes(c->out / kSearchablePdfFile), input);
}

}  // namespace
}  // namespace docmill
