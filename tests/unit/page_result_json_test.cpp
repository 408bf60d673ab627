#include <gtest/gtest.h>

#include "pipeline/page_result_json.h"

namespace docmill {
namespace {

using nlohmann::json;

PageResult sample_page() {
  PageResult p;
  p.page_index = 3;
  p.width = 595;
  p.height = 842;
  p.method = ReadMethod::kOcr;
  p.rotation = 90;
  p.mean_confidence = 91.5f;
  p.millis = 1234.5;
  p.warnings = {"MuPDF: padding truncated image"};
  Block title;
  title.label = Label::kTitle;
  title.box = {72, 80, 523, 104};
  title.text = "A Title";
  title.heading_level = 1;
  Block image;
  image.label = Label::kImage;
  image.box = {147.5f, 280, 447.5f, 480};
  image.image_index = 0;
  p.blocks = {title, image};
  return p;
}

TEST(PageResultJson, RecordHasTheDocumentedFields) {
  const json j = to_json(sample_page());
  EXPECT_EQ(j["page"], 3);
  EXPECT_EQ(j["method"], "ocr");
  EXPECT_EQ(j["rotation"], 90);
  EXPECT_FLOAT_EQ(j["mean_confidence"].get<float>(), 91.5f);
  EXPECT_TRUE(j["error"].is_null());
  ASSERT_EQ(j["blocks"].size(), 2u);
  const auto& b = j["blocks"][0];
  EXPECT_EQ(b["label"], "title");
  EXPECT_EQ(b["box"], json::array({121, 95, 878, 123})) << "0-999 as in output_det.md";
  EXPECT_EQ(b["heading_level"], 1);
  EXPECT_EQ(j["blocks"][1]["image_index"], 0);
  EXPECT_FALSE(j["blocks"][1].contains("heading_level"));
  EXPECT_EQ(j["warnings"].size(), 1u);
}

TEST(PageResultJson, RoundTrips) {
  const PageResult p = sample_page();
  auto back = page_result_from_json(json::parse(to_json(p).dump()));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->page_index, p.page_index);
  EXPECT_FLOAT_EQ(back->width, p.width);
  EXPECT_EQ(back->method, p.method);
  EXPECT_EQ(back->rotation, p.rotation);
  EXPECT_EQ(back->mean_confidence, p.mean_confidence);
  EXPECT_DOUBLE_EQ(back->millis, p.millis);
  EXPECT_EQ(back->warnings, p.warnings);
  EXPECT_FALSE(back->error);
  ASSERT_EQ(back->blocks.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(back->blocks[i].label, p.blocks[i].label);
    EXPECT_EQ(back->blocks[i].box, p.blocks[i].box) << "points survive exactly, not 0-999";
    EXPECT_EQ(back->blocks[i].text, p.blocks[i].text);
    EXPECT_EQ(back->blocks[i].heading_level, p.blocks[i].heading_level);
    EXPECT_EQ(back->blocks[i].image_index, p.blocks[i].image_index);
  }
}

TEST(PageResultJson, ScanDecisionsRoundTrip) {
  PageResult p = sample_page();
  p.ocr_dpi = 400;
  p.image_ppi = 398.5f;
  p.hidden_layer = HiddenLayerReport{false, 0.4f, "40% of its words read like words"};
  RotationReport r;
  r.proposed = 180;
  r.osd_confidence = 6.5f;
  r.strip_confidence_as_is = 30;
  r.strip_confidence_turned = 90;
  r.reason = "turned";
  r.applied = 180;
  p.rotation_check = r;
  const json j = to_json(p);
  EXPECT_EQ(j["ocr_dpi"], 400);
  EXPECT_EQ(j["hidden_text_layer"]["action"], "redone");
  EXPECT_EQ(j["rotation_check"]["applied"], 180);
  auto back = page_result_from_json(json::parse(j.dump()));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->ocr_dpi, 400);
  ASSERT_TRUE(back->image_ppi);
  EXPECT_FLOAT_EQ(*back->image_ppi, 398.5f);
  ASSERT_TRUE(back->hidden_layer);
  EXPECT_FALSE(back->hidden_layer->kept);
  EXPECT_FLOAT_EQ(back->hidden_layer->quality, 0.4f);
  EXPECT_EQ(back->hidden_layer->reason, p.hidden_layer->reason);
  ASSERT_TRUE(back->rotation_check);
  EXPECT_EQ(back->rotation_check->proposed, 180);
  EXPECT_EQ(back->rotation_check->applied, 180);
  EXPECT_FLOAT_EQ(back->rotation_check->osd_confidence, 6.5f);
  EXPECT_EQ(back->rotation_check->strip_confidence_turned, 90.f);
  EXPECT_EQ(back->rotation_check->reason, "turned");
  // A page without them has none of the fields.
  const json plain = to_json(sample_page());
  EXPECT_FALSE(plain.contains("ocr_dpi"));
  EXPECT_FALSE(plain.contains("hidden_text_layer"));
  EXPECT_FALSE(plain.contains("rotation_check"));
}

TEST(PageResultJson, FailedPageKeepsItsError) {
  PageResult p;
  p.page_index = 1;
  p.width = 612;
  p.height = 792;
  p.method = ReadMethod::kFailed;
  p.error = "cannot draw the page: broken stream";
  const json j = to_json(p);
  EXPECT_EQ(j["method"], "failed");
  EXPECT_EQ(j["error"], "cannot draw the page: broken stream");
  EXPECT_TRUE(j["mean_confidence"].is_null());
  auto back = page_result_from_json(j);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->error, p.error);
  EXPECT_FALSE(back->mean_confidence);
}

TEST(PageResultJson, BlankPageRoundTrips) {
  PageResult p;
  p.page_index = 2;
  p.width = 595;
  p.height = 842;
  p.method = ReadMethod::kBlank;
  const json j = to_json(p);
  EXPECT_EQ(j["method"], "blank");
  EXPECT_TRUE(j["error"].is_null());
  EXPECT_TRUE(j["blocks"].empty());
  auto back = page_result_from_json(j);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->method, ReadMethod::kBlank);
  EXPECT_FALSE(back->error);
}

TEST(PageResultJson, OcrWordsRoundTripForTheSearchablePdf) {
  PageResult p = sample_page();
  p.ocr_lines = {{{72, 80, 300.25f, 96},
                  {{{72, 80, 140.5f, 96}, "Scanned"}, {{150, 81, 300.25f, 96}, "words"}}},
                 {{72, 100, 120, 112}, {{{72, 100, 120, 112}, "\u00e9t\u00e9"}}}};
  const json j = to_json(p);
  ASSERT_EQ(j["ocr_lines"].size(), 2u);
  EXPECT_EQ(j["ocr_lines"][0]["words"][1], json::array({150, 81, 300.25, 96, "words"}));
  auto back = page_result_from_json(j);
  ASSERT_TRUE(back) << back.error().message;
  ASSERT_EQ(back->ocr_lines.size(), 2u);
  EXPECT_FLOAT_EQ(back->ocr_lines[0].box.x1, 300.25f);
  ASSERT_EQ(back->ocr_lines[0].words.size(), 2u);
  EXPECT_EQ(back->ocr_lines[0].words[0].text, "Scanned");
  EXPECT_FLOAT_EQ(back->ocr_lines[0].words[0].box.x1, 140.5f);
  EXPECT_EQ(back->ocr_lines[1].words[0].text, "\u00e9t\u00e9");
  // Pages without OCR words carry no such field.
  EXPECT_FALSE(to_json(sample_page()).contains("ocr_lines"));
}

TEST(PageResultJson, DamagedRecordsAreCorruptNotCrashes) {
  const json good = to_json(sample_page());
  std::vector<json> bad = {json::array(), json("text"), json::object()};
  for (const char* key : {"page", "width_pt", "method", "blocks"}) {
    json j = good;
    j.erase(key);
    bad.push_back(j);
  }
  json unknown_method = good;
  unknown_method["method"] = "magic";
  bad.push_back(unknown_method);
  json unknown_label = good;
  unknown_label["blocks"][0]["label"] = "paragraph";
  bad.push_back(unknown_label);
  json short_box = good;
  short_box["blocks"][0]["box_pt"] = json::array({1, 2, 3});
  bad.push_back(short_box);
  json text_box = good;
  text_box["blocks"][0]["box_pt"] = json::array({1, 2, 3, "4"});
  bad.push_back(text_box);
  json word_without_text = good;
  word_without_text["ocr_lines"] =
      json::array({{{"box", {1, 2, 3, 4}}, {"words", json::array({json::array({1, 2, 3, 4})})}}});
  bad.push_back(word_without_text);
  json line_without_box = good;
  line_without_box["ocr_lines"] = json::array({{{"words", json::array()}}});
  bad.push_back(line_without_box);
  for (const auto& j : bad) {
    auto r = page_result_from_json(j);
    ASSERT_FALSE(r) << j.dump();
    EXPECT_EQ(r.error().code, ErrorCode::kCorrupt) << j.dump();
  }
}

}  // namespace
}  // namespace docmill
