// `docmill convert` on the VLM engine (convert_document with a fake model server): the plain
// markdown protocol for models without boxes, and the page image the model is sent.
#include <gtest/gtest.h>

#include "pipeline/output_writer.h"
#include "support/command_output.h"
#include "support/conversion.h"
#include "support/fake_vlm_server.h"
#include "support/pdf_factory.h"

namespace docmill::testing {
namespace {

ConvertOptions on_model(const FakeVlmServer& model) {
  ConvertOptions o = fast_options();
  o.read.engine = EngineKind::kVlm;
  o.vlm.url = model.base_url();
  o.vlm.concurrency = 4;
  o.vlm.fallback = VlmFallback::kFail;
  return o;
}

TEST(VlmConvert, AModelAnsweringPlainMarkdownGivesItsStructureWithoutBoxes) {
  FakeVlmServer model;
  ASSERT_TRUE(model.start());
  model.set_default_reply(FakeReply::answer(vlm_fixture("markdown_page.md")));
  ConvertOptions options = on_model(model);
  options.vlm.protocol = VlmProtocol::kMarkdown;
  auto c = convert_bytes(scanned_pdf(paper_pdf(), 150), options);
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  EXPECT_EQ(c->summary->vlm_pages, 1);
  EXPECT_NE(c->markdown.find("# Meeting Notes"), std::string::npos) << c->markdown;
  EXPECT_NE(c->markdown.find("| Budget | Ana |"), std::string::npos) << c->markdown;
  EXPECT_NE(c->markdown.find("$$\nE = mc^2\n$$"), std::string::npos) << c->markdown;
  EXPECT_EQ(c->page(0)["method"], "vlm");
  // No boxes: every block stands for the whole page.
  for (const auto& b : c->page(0)["blocks"]) {
    EXPECT_EQ(b["box"], nlohmann::json({0, 0, 999, 999})) << b.dump();
  }
  const auto asked = model.completions();
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0].prompt, "Convert this page to markdown.");
  EXPECT_FALSE(asked[0].skip_special_tokens_false);  // DeepSeek's extras are DeepSeek's only
  EXPECT_TRUE(asked[0].vllm_xargs.is_null());
}

TEST(VlmConvert, AScanReadByTheModelIsSearchableInItsBlocks) {
  if (!have_tool("pdftotext")) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  FakeVlmServer model;
  ASSERT_TRUE(model.start());
  auto c = convert_bytes(scanned_pdf(paper_pdf(), 150), on_model(model));
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  ASSERT_EQ(c->page(0)["method"], "vlm");
  const auto pdf = (c->out / kSearchablePdfFile).string();
  auto text = command_output("pdftotext -enc UTF-8 '" + pdf + "' -");
  ASSERT_TRUE(text.has_value());
  // The default answer's title and paragraph (tests/support/fake_vlm_server.cpp), word for word
  // in order, wherever the lines break.
  std::string flat;
  for (char ch : *text) {
    const bool space = ch == ' ' || ch == '\n' || ch == '\f';
    if (!space) {
      flat += ch;
    } else if (!flat.empty() && flat.back() != ' ') {
      flat += ' ';
    }
  }
  for (const char* words : {"A page read by the fake model server",
                            "This paragraph stands for what DeepSeek-OCR reads "
                            "on a page: a few sentences of body text",
                            "y^2 = r^2", "in the model's reading order."}) {
    EXPECT_NE(flat.find(words), std::string::npos) << words << " in\n" << *text;
  }
  // Each word inside its block's box: the title's [100, 60, 900, 100] of the page's 0-999.
  auto html = command_output("pdftotext -bbox '" + pdf + "' -");
  ASSERT_TRUE(html.has_value());
  const std::string marker = ">fake</word>";
  const size_t at = html->find(marker);
  ASSERT_NE(at, std::string::npos) << *html;
  const size_t tag = html->rfind("<word", at);
  const std::string word = html->substr(tag, at - tag);
  const auto attr = [&](const char* name) {
    const size_t p = word.find(std::string(name) + "=\"");
    return std::stof(word.substr(p + std::string(name).size() + 2));
  };
  const float w = c->page(0)["width_pt"], h = c->page(0)["height_pt"];
  EXPECT_GE(attr("xMin"), 0.1f * w - 1);
  EXPECT_LE(attr("xMax"), 0.9f * w + 1);
  EXPECT_GE(attr("yMin"), 0.06f * h - 1);
  EXPECT_LE(attr("yMax"), 0.1f * h + 1);
}

TEST(VlmConvert, ThePageImageIsCappedOnItsLongSide) {
  FakeVlmServer model;
  ASSERT_TRUE(model.start());
  ConvertOptions options = on_model(model);
  options.vlm.dpi = 300;        // an A4 page at 300 dpi is 3508 px tall ...
  options.vlm.max_side = 1000;  // ... and is sent 1000 px tall instead
  auto c = convert_bytes(paper_pdf(), options);
  ASSERT_TRUE(c->summary) << c->summary.error().message;
  const auto asked = model.completions();
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0].image_mime, "image/jpeg");
  EXPECT_LE(std::max(asked[0].image_width, asked[0].image_height), 1001);
  EXPECT_GE(std::max(asked[0].image_width, asked[0].image_height), 990);
  EXPECT_EQ(c->page(0)["vlm"]["image_size"][1], asked[0].image_height);
}

}  // namespace
}  // namespace docmill::testing
