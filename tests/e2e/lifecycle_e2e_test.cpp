// DELETE while processing, SIGKILL and restart, SIGTERM: the real binary's life cycle.
#include <signal.h>

#include <map>

#include "e2e/e2e_fixture.h"

namespace docmill::testing {
namespace {

using nlohmann::json;
using std::chrono::seconds;

class Lifecycle : public E2eTest {};

bool processing_with(const json& s, int pages) {
  return s["status"] == "processing" && s["processed_pages"].get<int>() >= pages;
}

TEST_F(Lifecycle, DeleteWhileProcessingStopsTheJobAndRemovesIt) {
  start_server({{"DOCMILL_WORKERS", "2"}});
  const std::string doomed = submit(*client_, ocr_document(8), kSlowFields);
  const std::string other = submit(*client_, ocr_document(2), kSlowFields);
  const json s = poll_status(
      *client_, doomed, [](const json& j) { return processing_with(j, 1); }, seconds(60));
  ASSERT_TRUE(processing_with(s, 1)) << s.dump();
  ASSERT_LT(s["processed_pages"].get<int>(), 8);

  auto del = client_->Delete("/result/" + doomed);
  ASSERT_TRUE(del);
  ASSERT_EQ(del->status, 200) << del->body;
  EXPECT_EQ(json_of(del), (json{{"job_id", doomed}, {"status", "deleted"}}));

  EXPECT_EQ(client_->Get("/result/" + doomed + "/status")->status, 404);
  EXPECT_EQ(client_->Get("/result/" + doomed + "/markdown")->status, 404);
  EXPECT_EQ(client_->Delete("/result/" + doomed)->status, 404);
  EXPECT_FALSE(std::filesystem::exists(job_dir(doomed)));

  // The other job, queued behind it, finishes; nothing writes into the deleted job meanwhile.
  EXPECT_EQ(wait_finished(*client_, other)["status"], "completed") << server_log();
  EXPECT_FALSE(std::filesystem::exists(job_dir(doomed)));
  const json tasks = json_of(client_->Get("/tasks"));
  ASSERT_EQ(tasks["count"], 1);
  EXPECT_EQ(tasks["tasks"][0]["job_id"], other);
  EXPECT_TRUE(server_->running());
}

TEST_F(Lifecycle, AfterKill9TheRestartedServerFinishesWithTheSameOutput) {
  // One worker reads the pages in order; a short lease lets the restart take over quickly.
  const std::map<std::string, std::string> env = {{"DOCMILL_WORKERS", "1"},
                                                  {"DOCMILL_LEASE_SECONDS", "2"}};
  const int pages = 5;
  const std::string pdf = ocr_document(pages);
  start_server(env);
  const std::string id = submit(*client_, pdf, kSlowFields);
  const json s = poll_status(
      *client_, id, [](const json& j) { return processing_with(j, 2); }, seconds(90));
  ASSERT_TRUE(processing_with(s, 2)) << s.dump();
  kill_server();

  // Pages counted before the kill were recorded; they must not be read again.
  const int done_before = s["processed_pages"];
  std::map<int, std::filesystem::file_time_type> recorded;
  for (int i = 0; i < done_before; ++i) {
    const auto file = job_dir(id) / "pages" / (std::to_string(i) + ".json");
    ASSERT_TRUE(std::filesystem::exists(file)) << file;
    recorded[i] = std::filesystem::last_write_time(file);
  }

  start_server(env);
  const json done = wait_finished(*client_, id);
  ASSERT_EQ(done["status"], "completed") << done.dump() << server_log();
  EXPECT_EQ(done["processed_pages"], pages);
  for (const auto& [i, time] : recorded) {
    EXPECT_EQ(
        std::filesystem::last_write_time(job_dir(id) / "pages" / (std::to_string(i) + ".json")),
        time)
        << "page " << i + 1 << " was processed again";
  }

  // The same document, uninterrupted, gives the same outputs.
  const std::string again = submit(*client_, pdf, kSlowFields);
  ASSERT_EQ(wait_finished(*client_, again)["status"], "completed");
  for (const char* tail : {"/markdown", "/markdown_det"}) {
    const json a = json_of(client_->Get("/result/" + id + tail));
    const json b = json_of(client_->Get("/result/" + again + tail));
    ASSERT_TRUE(a["content"].is_string()) << a.dump();
    EXPECT_EQ(a["content"], b["content"]) << tail;
  }
}

TEST_F(Lifecycle, SigtermLetsRunningPagesFinishExitsZeroAndLosesNothing) {
  const std::map<std::string, std::string> env = {{"DOCMILL_WORKERS", "1"}};
  start_server(env);
  const std::string id = submit(*client_, ocr_document(4), kSlowFields);
  const json s = poll_status(
      *client_, id, [](const json& j) { return processing_with(j, 1); }, seconds(60));
  ASSERT_TRUE(processing_with(s, 1)) << s.dump();

  server_->send_signal(SIGTERM);
  const auto code = server_->wait_exit(seconds(60));
  ASSERT_TRUE(code.has_value()) << "still running 60 s after SIGTERM";
  EXPECT_EQ(*code, 0) << server_log();
  EXPECT_NE(server_log().find("stopped"), std::string::npos);

  // The page that was running was finished and recorded, so the restart needs no lease to
  // expire: it goes on at once and completes the job.
  start_server(env);
  const json done = wait_finished(*client_, id, seconds(60));
  EXPECT_EQ(done["status"], "completed") << done.dump() << server_log();
  EXPECT_EQ(done["processed_pages"], 4);
}

TEST_F(Lifecycle, SigtermWhenIdleExitsZero) {
  start_server();
  server_->send_signal(SIGTERM);
  const auto code = server_->wait_exit(seconds(30));
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0) << server_log();
}

TEST_F(Lifecycle, ABadSettingStopsTheStartNamingIt) {
  EXPECT_THROW(start_server({{"DOCMILL_DPI", "lots"}}), std::runtime_error);
  EXPECT_NE(server_log().find("DOCMILL_DPI"), std::string::npos) << server_log();
}

}  // namespace
}  // namespace docmill::testing
