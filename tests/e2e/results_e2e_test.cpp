// Upload, progress and every result endpoint, against the real binary.
#include <regex>
#include <set>

#include "core/ids.h"
#include "e2e/e2e_fixture.h"
#include "pdf/pdf_document.h"
#include "support/pdf_factory.h"

namespace docmill::testing {
namespace {

using nlohmann::json;

class Results : public E2eTest {};

TEST_F(Results, StatusShowsPageProgressAndResultsAnswer202UntilDone) {
  start_server({{"DOCMILL_WORKERS", "1"}});
  const int pages = 4;
  auto res = upload_pdf(*client_, ocr_document(pages), "progress.PDF", kSlowFields);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json accepted = json_of(res);
  EXPECT_EQ(accepted["status"], "pending");
  EXPECT_TRUE(accepted["message"].is_string());
  const std::string id = accepted["job_id"];
  ASSERT_TRUE(is_job_id(id));

  // The answer came before any page was read, and the job already knows its size.
  auto status = json_of(client_->Get("/result/" + id + "/status"));
  EXPECT_EQ(status["total_pages"], pages);
  EXPECT_EQ(status["filename"], "progress.PDF");
  EXPECT_LT(status["processed_pages"].get<int>(), pages);
  EXPECT_TRUE(status["error_message"].is_null());
  for (const char* key : {"created_at", "updated_at"}) {
    EXPECT_TRUE(std::regex_match(status[key].get<std::string>(),
                                 std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")))
        << status[key];
  }

  auto early = client_->Get("/result/" + id + "/markdown");
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 202);
  EXPECT_EQ(json_of(early)["job_id"], id);
  EXPECT_TRUE(json_of(early)["status"] == "pending" || json_of(early)["status"] == "processing");

  std::set<int> counts;
  std::set<std::string> statuses;
  int last = 0;
  bool monotonic = true;
  const json done = poll_status(
      *client_, id, [](const json& s) { return s["status"] == "completed"; },
      std::chrono::seconds(120),
      [&](const json& s) {
        const int n = s["processed_pages"];
        monotonic = monotonic && n >= last;
        last = n;
        counts.insert(n);
        statuses.insert(s["status"]);
      });
  ASSERT_EQ(done["status"], "completed") << done.dump() << server_log();
  EXPECT_EQ(done["processed_pages"], pages);
  EXPECT_TRUE(monotonic);
  EXPECT_TRUE(statuses.contains("processing"));
  // Page by page: some count between none and all was seen.
  EXPECT_TRUE(std::any_of(counts.begin(), counts.end(), [](int n) { return n > 0 && n < pages; }))
      << "counts seen: " << json(counts).dump();

  const json md = json_of(client_->Get("/result/" + id + "/markdown"));
  EXPECT_EQ(md["status"], "completed");
  const std::string content = md["content"];
  EXPECT_NE(content.find("Glaciers"), std::string::npos) << content;
  EXPECT_NE(content.find("telescopes"), std::string::npos) << content;
}

TEST_F(Results, EveryEndpointServesItsContent) {
  start_server();
  const std::string id = submit(*client_, content_document(), {}, "paper.pdf");
  const json done = wait_finished(*client_, id);
  ASSERT_EQ(done["status"], "completed") << done.dump() << server_log();
  EXPECT_EQ(done["total_pages"], 2);
  EXPECT_EQ(done["processed_pages"], 2);

  // markdown: the text, pages split, no tags, the figure linked by its file name.
  auto md_res = client_->Get("/result/" + id + "/markdown");
  ASSERT_TRUE(md_res);
  EXPECT_EQ(md_res->status, 200);
  EXPECT_NE(md_res->get_header_value("Content-Type").find("application/json"), std::string::npos);
  const json md = json_of(md_res);
  EXPECT_EQ(md["job_id"], id);
  EXPECT_EQ(md["status"], "completed");
  const std::string text = md["content"];
  EXPECT_NE(text.find(std::string(PaperWords::kTitle)), std::string::npos) << text;
  EXPECT_NE(text.find(std::string(PaperWords::kLeftStart)), std::string::npos) << text;
  EXPECT_NE(text.find("\n\n<--- Page Split --->\n\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("<|ref|>"), std::string::npos);
  EXPECT_NE(text.find("![](images/1_0.jpg)"), std::string::npos) << text;

  // markdown_det: every block tagged, coordinates 0-999.
  const json det = json_of(client_->Get("/result/" + id + "/markdown_det"));
  EXPECT_EQ(det["status"], "completed");
  const std::string tagged = det["content"];
  const std::regex tag(
      R"(<\|ref\|>([a-z_]+)<\|/ref\|><\|det\|>\[\[(\d+), (\d+), (\d+), (\d+)\]\]<\|/det\|>)");
  int tags = 0;
  std::set<std::string> labels;
  for (std::sregex_iterator it(tagged.begin(), tagged.end(), tag), end; it != end; ++it) {
    ++tags;
    labels.insert((*it)[1]);
    for (int g = 2; g <= 5; ++g) EXPECT_LE(std::stoi((*it)[g]), 999);
  }
  EXPECT_GE(tags, 4) << tagged;
  EXPECT_TRUE(labels.contains("title")) << tagged;
  EXPECT_TRUE(labels.contains("image")) << tagged;
  EXPECT_NE(tagged.find(std::string(PaperWords::kLeftStart)), std::string::npos);

  // layout_pdf: a PDF that opens, one page per input page.
  auto pdf = client_->Get("/result/" + id + "/layout_pdf");
  ASSERT_TRUE(pdf);
  EXPECT_EQ(pdf->status, 200);
  EXPECT_EQ(pdf->get_header_value("Content-Type"), "application/pdf");
  ASSERT_TRUE(pdf->body.starts_with("%PDF"));
  write_bytes(tmp_ / "layout.pdf", pdf->body);
  auto layout_pages = probe_pdf(tmp_ / "layout.pdf");
  ASSERT_TRUE(layout_pages) << layout_pages.error().message;
  EXPECT_EQ(*layout_pages, 2);

  // searchable_pdf: the input with its text layer, as an attachment; both pages there.
  auto searchable = client_->Get("/result/" + id + "/searchable_pdf");
  ASSERT_TRUE(searchable);
  EXPECT_EQ(searchable->status, 200);
  EXPECT_EQ(searchable->get_header_value("Content-Type"), "application/pdf");
  EXPECT_EQ(searchable->get_header_value("Content-Disposition"),
            "attachment; filename=\"" + id + "_searchable.pdf\"");
  write_bytes(tmp_ / "searchable.pdf", searchable->body);
  auto searchable_pages = probe_pdf(tmp_ / "searchable.pdf");
  ASSERT_TRUE(searchable_pages) << searchable_pages.error().message;
  EXPECT_EQ(*searchable_pages, 2);

  // images: listed in order, each a JPEG that decodes.
  const json images = json_of(client_->Get("/result/" + id + "/images"));
  EXPECT_EQ(images["job_id"], id);
  EXPECT_EQ(images["status"], "completed");
  ASSERT_EQ(images["count"], 1) << images.dump();
  EXPECT_EQ(images["images"], json::array({"1_0.jpg"}));
  auto jpg = client_->Get("/result/" + id + "/images/1_0.jpg");
  ASSERT_TRUE(jpg);
  EXPECT_EQ(jpg->status, 200);
  EXPECT_EQ(jpg->get_header_value("Content-Type"), "image/jpeg");
  int w = 0, h = 0;
  EXPECT_TRUE(decodes_as_jpeg(jpg->body, &w, &h));
  EXPECT_GT(w, 50);
  EXPECT_GT(h, 30);

  // Names the job did not produce, and paths out of the images directory: 404.
  for (const std::string name :
       {"9_9.jpg", "../input.pdf", "..%2Finput.pdf", "%2e%2e%2finput.pdf", "%2Fetc%2Fpasswd",
        "..%2F..%2F..%2Ftask_status.db", "1_0.jpg%00.png", "1_0.JPG", "x1_0.jpg", "-1_0.jpg"}) {
    auto r = client_->Get("/result/" + id + "/images/" + name);
    ASSERT_TRUE(r) << name;
    EXPECT_EQ(r->status, 404) << name << ": " << r->body;
    EXPECT_TRUE(json_of(r).contains("detail")) << name;
  }
}

TEST_F(Results, UnknownJobIs404OnEveryEndpoint) {
  start_server();
  for (const std::string& id : {new_job_id(), std::string("not-a-job"), std::string("..")}) {
    for (const char* tail : {"/status", "/markdown", "/markdown_det", "/layout_pdf",
                             "/searchable_pdf", "/images", "/images/0_0.jpg"}) {
      auto r = client_->Get("/result/" + id + tail);
      ASSERT_TRUE(r);
      EXPECT_EQ(r->status, 404) << id << tail;
      EXPECT_TRUE(json_of(r).contains("detail")) << r->body;
    }
    auto d = client_->Delete("/result/" + id);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->status, 404) << id;
  }
}

TEST_F(Results, AJobWhosePagesAllFailIs500WithTheReason) {
  start_server(kFailingServer);
  const std::string id = submit(*client_, failing_document(), kFailingFields, "broken.pdf");
  const json done = wait_finished(*client_, id);
  ASSERT_EQ(done["status"], "failed") << done.dump() << server_log();
  const std::string message = done["error_message"];
  EXPECT_NE(message.find("page 1"), std::string::npos) << message;
  EXPECT_NE(message.find("time limit"), std::string::npos) << message;

  for (const char* tail : {"/markdown", "/markdown_det", "/layout_pdf", "/searchable_pdf",
                           "/images", "/images/0_0.jpg"}) {
    auto r = client_->Get("/result/" + id + tail);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 500) << tail;
    EXPECT_EQ(json_of(r)["error_message"], message) << r->body;
    EXPECT_EQ(json_of(r)["job_id"], id);
  }
}

TEST_F(Results, TasksListsNewestFirstAndFilters) {
  start_server(kFailingServer);
  const std::string first = submit(*client_, content_document(), {}, "first.pdf");
  const std::string second = submit(*client_, failing_document(), kFailingFields, "second.pdf");
  ASSERT_EQ(wait_finished(*client_, first)["status"], "completed");
  ASSERT_EQ(wait_finished(*client_, second)["status"], "failed");

  const json all = json_of(client_->Get("/tasks"));
  ASSERT_EQ(all["count"], 2) << all.dump();
  ASSERT_EQ(all["tasks"].size(), 2u);
  EXPECT_EQ(all["tasks"][0]["job_id"], second);
  EXPECT_EQ(all["tasks"][1]["job_id"], first);
  for (const auto& t : all["tasks"]) {
    for (const char* key : {"job_id", "status", "filename", "total_pages", "processed_pages",
                            "created_at", "updated_at", "error_message"}) {
      EXPECT_TRUE(t.contains(key)) << key;
    }
  }

  const json completed = json_of(client_->Get("/tasks?status=completed"));
  ASSERT_EQ(completed["count"], 1);
  EXPECT_EQ(completed["tasks"][0]["job_id"], first);
  const json failed = json_of(client_->Get("/tasks?status=failed"));
  ASSERT_EQ(failed["count"], 1);
  EXPECT_EQ(failed["tasks"][0]["job_id"], second);
  const json pending = json_of(client_->Get("/tasks?status=pending"));
  EXPECT_EQ(pending["count"], 0);
  EXPECT_EQ(pending["tasks"], json::array());

  auto bad = client_->Get("/tasks?status=finished");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_TRUE(json_of(bad).contains("detail"));
}

}  // namespace
}  // namespace docmill::testing
