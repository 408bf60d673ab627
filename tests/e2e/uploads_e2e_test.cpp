// The rules an upload must pass, and authentication, against the real binary.
#include "e2e/e2e_fixture.h"
#include "support/pdf_factory.h"

namespace docmill::testing {
namespace {

using nlohmann::json;

class Uploads : public E2eTest {};

// Sends `pdf` with `fields`, expects `status` and a JSON error whose detail mentions `words`.
void expect_rejected(httplib::Client& c, const std::string& pdf, int status,
                     const std::string& words,
                     const std::map<std::string, std::string>& fields = {}) {
  auto res = upload_pdf(c, pdf, "document.pdf", fields);
  ASSERT_TRUE(res) << words << ": " << httplib::to_string(res.error());
  EXPECT_EQ(res->status, status) << words << ": " << res->body;
  const json body = json_of(res);
  ASSERT_TRUE(body.contains("detail")) << res->body;
  EXPECT_NE(body["detail"].get<std::string>().find(words), std::string::npos) << res->body;
}

TEST_F(Uploads, BadInputsAre4xxAndLeaveNothingBehind) {
  start_server({{"DOCMILL_MAX_PAGES", "2"}});
  expect_rejected(*client_, "", 400, "empty");
  expect_rejected(*client_, jpeg_like_bytes(), 415, "not a PDF");
  expect_rejected(*client_, plain_text_bytes(), 415, "not a PDF");
  expect_rejected(*client_, zero_page_pdf(), 400, "no pages");
  expect_rejected(*client_, ocr_document(3), 413, "DOCMILL_MAX_PAGES");
  expect_rejected(*client_, paper_pdf(), 400, "installed", {{"lang", "xyz"}});
  expect_rejected(*client_, paper_pdf(), 400, "dpi", {{"dpi", "5000"}});
  expect_rejected(*client_, paper_pdf(), 400, "pages", {{"pages", "7"}});
  expect_rejected(*client_, paper_pdf(), 400, "force_ocr", {{"force_ocr", "maybe"}});
  if (auto encrypted = encrypted_pdf(paper_pdf())) {
    expect_rejected(*client_, *encrypted, 422, "password");
  }

  auto no_file =
      client_->Post("/process_pdf", httplib::MultipartFormDataItems{{"lang", "eng", "", ""}});
  ASSERT_TRUE(no_file);
  EXPECT_EQ(no_file->status, 400) << no_file->body;
  auto not_multipart = client_->Post("/process_pdf", paper_pdf(), "application/pdf");
  ASSERT_TRUE(not_multipart);
  EXPECT_EQ(not_multipart->status, 400) << not_multipart->body;

  EXPECT_EQ(leftover_files(), 0);
  EXPECT_EQ(json_of(client_->Get("/tasks"))["count"], 0);

  // Recognised by content: an upper-case extension is fine, a page selection sets the size.
  auto ok = upload_pdf(*client_, ocr_document(3), "SCAN.PDF", {{"pages", "2-3"}});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;
  const std::string id = json_of(ok)["job_id"];
  EXPECT_EQ(json_of(client_->Get("/result/" + id + "/status"))["total_pages"], 2);
}

TEST_F(Uploads, OverTheSizeLimitIs413AndLeavesNothingBehind) {
  start_server({{"DOCMILL_MAX_UPLOAD_MB", "1"}});
  // A real PDF, padded past 1 MiB with a comment after %%EOF.
  std::string big = paper_pdf();
  big += "%" + std::string(1536 * 1024, 'x') + "\n";
  expect_rejected(*client_, big, 413, "DOCMILL_MAX_UPLOAD_MB");
  EXPECT_EQ(leftover_files(), 0);
  EXPECT_EQ(json_of(client_->Get("/tasks"))["count"], 0);
  // The server is fine afterwards, and a PDF under the limit passes.
  const std::string id = submit(*client_, paper_pdf());
  EXPECT_FALSE(id.empty());
}

TEST_F(Uploads, AFullQueueIs429) {
  start_server({{"DOCMILL_MAX_QUEUED_JOBS", "1"}, {"DOCMILL_WORKERS", "1"}});
  const std::string slow = submit(*client_, ocr_document(4), kSlowFields);
  expect_rejected(*client_, paper_pdf(), 429, "DOCMILL_MAX_QUEUED_JOBS");
  EXPECT_EQ(json_of(client_->Get("/tasks"))["count"], 1);
  auto del = client_->Delete("/result/" + slow);
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 200);
  EXPECT_FALSE(submit(*client_, paper_pdf()).empty());
}

class Auth : public E2eTest {};

TEST_F(Auth, WithATokenEveryEndpointButHealthNeedsIt) {
  const std::string token = "s3cret-token-value";
  start_server({{"AUTH_TOKEN", token}});
  httplib::Client anonymous("127.0.0.1", server_->port());
  httplib::Client wrong("127.0.0.1", server_->port());
  wrong.set_bearer_token_auth("s3cret-token-valuf");

  auto health = anonymous.Get("/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(json_of(health)["status"], "healthy");
  EXPECT_EQ(json_of(health)["model_loaded"], true);

  for (auto* c : {&anonymous, &wrong}) {
    for (const std::string& path :
         {std::string("/tasks"), "/result/" + std::string(36, 'a') + "/status"}) {
      auto r = c->Get(path);
      ASSERT_TRUE(r);
      EXPECT_EQ(r->status, 401) << path;
      EXPECT_EQ(r->get_header_value("WWW-Authenticate"), "Bearer");
      EXPECT_TRUE(json_of(r).contains("detail")) << r->body;
    }
    auto up = upload_pdf(*c, paper_pdf());
    ASSERT_TRUE(up);
    EXPECT_EQ(up->status, 401);
    auto del = c->Delete("/result/" + std::string(36, 'a'));
    ASSERT_TRUE(del);
    EXPECT_EQ(del->status, 401);
  }
  EXPECT_EQ(leftover_files(), 0);

  // The right token works everywhere.
  const std::string id = submit(*client_, paper_pdf());
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(wait_finished(*client_, id)["status"], "completed");
  auto tasks = client_->Get("/tasks");
  ASSERT_TRUE(tasks);
  EXPECT_EQ(tasks->status, 200);
  EXPECT_EQ(client_->Get("/result/" + id + "/markdown")->status, 200);

  EXPECT_EQ(server_log().find(token), std::string::npos) << "the token leaked into the log";
  EXPECT_EQ(server_log().find("s3cret-token-valuf"), std::string::npos);
}

TEST_F(Auth, WithoutATokenNoHeaderIsNeeded) {
  start_server();
  httplib::Client anonymous("127.0.0.1", server_->port());
  auto r = anonymous.Get("/tasks");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json_of(r)["count"], 0);
}

}  // namespace
}  // namespace docmill::testing
