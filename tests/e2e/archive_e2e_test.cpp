// GET /result/{job_id}/archive against the real binary: the zip of a completed job's outputs,
// entry for entry equal to the single-file endpoints, and the result endpoints' rules.
#include "e2e/e2e_fixture.h"
#include "support/zip_reader.h"

namespace docmill::testing {
namespace {

using nlohmann::json;

class Archive : public E2eTest {};

TEST_F(Archive, HoldsEveryOutputEqualToItsOwnEndpoint) {
  start_server();
  const std::string id = submit(*client_, content_document(), {}, "paper.pdf");
  const json done = wait_finished(*client_, id);
  ASSERT_EQ(done["status"], "completed") << done.dump() << server_log();

  auto res = client_->Get("/result/" + id + "/archive");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body.substr(0, 300);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/zip");
  EXPECT_EQ(res->get_header_value("Content-Disposition"),
            "attachment; filename=\"" + id + ".zip\"");
  std::string why;
  const auto entries = read_zip(res->body, &why);
  ASSERT_TRUE(entries) << why;
  if (have_unzip()) {
    EXPECT_TRUE(unzip_test_passes(res->body));
  }

  // What each entry must equal: the endpoint serving that file.
  const json images = json_of(client_->Get("/result/" + id + "/images"));
  ASSERT_GE(images["count"].get<int>(), 1) << images.dump();
  std::vector<std::pair<std::string, std::string>> expected = {
      {"output.md", json_of(client_->Get("/result/" + id + "/markdown"))["content"]},
      {"output_det.md", json_of(client_->Get("/result/" + id + "/markdown_det"))["content"]},
      {"layout.pdf", client_->Get("/result/" + id + "/layout_pdf")->body},
      {"searchable.pdf", client_->Get("/result/" + id + "/searchable_pdf")->body},
  };
  for (const auto& name : images["images"]) {
    const std::string n = name;
    expected.emplace_back("images/" + n, client_->Get("/result/" + id + "/images/" + n)->body);
  }
  ASSERT_EQ(entries->size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ((*entries)[i].name, expected[i].first);
    EXPECT_FALSE(expected[i].second.empty()) << expected[i].first;
    EXPECT_EQ((*entries)[i].data, expected[i].second) << expected[i].first;
    // Text deflated; the PDF and JPEGs, compressed already, stored.
    EXPECT_EQ((*entries)[i].method, expected[i].first.ends_with(".md") ? 8 : 0)
        << expected[i].first;
  }
}

TEST_F(Archive, FollowsTheResultRules202404500) {
  auto env = kFailingServer;
  env["DOCMILL_WORKERS"] = "1";
  start_server(env);
  EXPECT_EQ(client_->Get("/result/00000000-0000-4000-8000-000000000000/archive")->status, 404);
  EXPECT_EQ(client_->Get("/result/nope/archive")->status, 404);

  const std::string failing = submit(*client_, failing_document(), kFailingFields);
  // Queued behind the failing page on the one worker: pending or processing for a while.
  const std::string waiting = submit(*client_, ocr_document(2), kSlowFields);
  auto early = client_->Get("/result/" + waiting + "/archive");
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 202) << early->body;
  EXPECT_EQ(json_of(early)["job_id"], waiting);

  const json failed = wait_finished(*client_, failing);
  ASSERT_EQ(failed["status"], "failed") << failed.dump();
  auto res = client_->Get("/result/" + failing + "/archive");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 500);
  EXPECT_EQ(json_of(res)["error"], "job_failed");
}

}  // namespace
}  // namespace docmill::testing
