// GET /metrics and GET /ready against the real binary: the counters move with a job as they
// should (the pages counted from the workers' page lines, in the server process), /ready
// names the check that fails, and both need the token unless DOCMILL_METRICS_PUBLIC=1.
#include <map>
#include <sstream>

#include "e2e/e2e_fixture.h"
#include "support/fake_vlm_server.h"
#include "support/pdf_factory.h"

namespace docmill::testing {
namespace {

using nlohmann::json;

constexpr const char* kToken = "metrics-e2e-token";

class MetricsE2e : public E2eTest {
 protected:
  // Every sample of a scrape, by its name and labels as written ("a{b=\"c\"}").
  std::map<std::string, double> scrape() {
    auto res = client_->Get("/metrics");
    EXPECT_TRUE(res);
    if (!res) return {};
    EXPECT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    last_body_ = res->body;
    std::map<std::string, double> samples;
    std::istringstream lines(res->body);
    for (std::string line; std::getline(lines, line);) {
      if (line.empty() || line.starts_with('#')) continue;
      const auto space = line.rfind(' ');
      if (space == std::string::npos) {
        ADD_FAILURE() << "not a sample line: " << line;
        continue;
      }
      samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
    }
    return samples;
  }

  std::string last_body_;
};

double value(const std::map<std::string, double>& samples, const std::string& key) {
  const auto it = samples.find(key);
  return it == samples.end() ? 0 : it->second;
}

TEST_F(MetricsE2e, CountersMoveWithAJob) {
  start_server();
  const auto before = scrape();
  const std::string pdf = content_document();  // two pages, read from the text layer
  const std::string id = submit(*client_, pdf, {}, "paper.pdf");
  const json done = wait_finished(*client_, id);
  ASSERT_EQ(done["status"], "completed") << done.dump() << server_log();

  const std::string pages_ok = R"(docmill_pages_total{method="text_layer",outcome="ok"})";
  const std::string page_count = R"(docmill_page_seconds_count{method="text_layer"})";
  const std::string page_inf = R"(docmill_page_seconds_bucket{method="text_layer",le="+Inf"})";
  // The supervisor reads a worker's page line on its own thread: the job can be complete in the
  // store a moment before the last page is counted.
  std::map<std::string, double> after;
  for (int tries = 0; tries < 200; ++tries) {
    after = scrape();
    if (value(after, page_count) - value(before, page_count) >= 2) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const auto moved = [&](const std::string& key) { return value(after, key) - value(before, key); };
  EXPECT_EQ(moved(R"(docmill_jobs{status="completed"})"), 1) << last_body_;
  EXPECT_EQ(moved(pages_ok), 2) << last_body_;
  EXPECT_EQ(moved(page_count), 2) << last_body_;
  EXPECT_EQ(moved(page_inf), 2) << last_body_;
  EXPECT_GT(moved(R"(docmill_page_seconds_sum{method="text_layer"})"), 0);
  EXPECT_EQ(moved(R"(docmill_pages_total{method="ocr",outcome="ok"})"), 0);
  EXPECT_EQ(moved("docmill_upload_bytes_total"), static_cast<double>(pdf.size())) << last_body_;
  EXPECT_EQ(
      moved(R"(docmill_http_requests_total{method="POST",route="/process_pdf",status="200"})"), 1)
      << last_body_;
  EXPECT_EQ(value(after, "docmill_queue_depth_units"), 0);
  EXPECT_EQ(moved("docmill_vlm_requests_total"), 0);
  // The status polls are counted under their route's template: no label carries the job id.
  EXPECT_GE(
      value(
          after,
          R"(docmill_http_requests_total{method="GET",route="/result/{job_id}/status",status="200"})"),
      1)
      << last_body_;
  EXPECT_EQ(last_body_.find(id), std::string::npos) << last_body_;
  EXPECT_GE(value(after, R"(docmill_workers{state="busy"})") +
                value(after, R"(docmill_workers{state="idle"})"),
            1)
      << last_body_;
}

// Summed over the read methods: a page that fails may be reported by its worker (which stopped
// it at the time limit) or by the supervisor (which killed the worker).
double failed_pages(const std::map<std::string, double>& samples) {
  double n = 0;
  for (const auto& [key, v] : samples) {
    if (key.starts_with("docmill_pages_total{") && key.ends_with(R"(,outcome="failed"})")) n += v;
  }
  return n;
}

TEST_F(MetricsE2e, AFailedPageIsCountedAsFailed) {
  start_server(kFailingServer);
  const auto before = scrape();
  const std::string id = submit(*client_, failing_document(), kFailingFields, "slow.pdf");
  ASSERT_EQ(wait_finished(*client_, id)["status"], "failed") << server_log();
  std::map<std::string, double> after;
  for (int tries = 0; tries < 200; ++tries) {
    after = scrape();
    if (failed_pages(after) > failed_pages(before)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(failed_pages(after) - failed_pages(before), 1) << last_body_;
  EXPECT_EQ(value(after, R"(docmill_jobs{status="failed"})") -
                value(before, R"(docmill_jobs{status="failed"})"),
            1)
      << last_body_;
}

TEST_F(MetricsE2e, TheModelServersRequestsRetriesFallbacksAndTokensAreCounted) {
  FakeVlmServer vlm;
  ASSERT_TRUE(vlm.start());
  start_server({{"DOCMILL_VLM_URL", vlm.base_url()},
                {"DOCMILL_ENGINE", "vlm"},
                {"DOCMILL_WORKERS", "1"},
                {"DOCMILL_VLM_CONCURRENCY", "1"},
                {"DOCMILL_DPI", "200"}});  // the Tesseract fallback: a quicker render
  // The requests a page's read took, once its worker's page line is in.
  const auto after_job = [&](const std::map<std::string, double>& before, const char* key) {
    std::map<std::string, double> after;
    for (int tries = 0; tries < 200; ++tries) {
      after = scrape();
      if (value(after, key) > value(before, key)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return after;
  };

  // One answer cut in a repetition loop, then the model's reading on the second request.
  const auto before = scrape();
  vlm.push_reply(FakeReply::loop());
  const std::string read = submit(*client_, scanned_pdf(ocr_document(1), 100));
  ASSERT_EQ(wait_finished(*client_, read)["status"], "completed") << server_log();
  const auto after = after_job(before, "docmill_vlm_requests_total");
  const auto moved = [&](const std::string& key) { return value(after, key) - value(before, key); };
  EXPECT_EQ(moved("docmill_vlm_requests_total"), static_cast<double>(vlm.completion_count()))
      << last_body_;
  EXPECT_EQ(moved("docmill_vlm_requests_total"), 2) << last_body_;
  EXPECT_EQ(moved("docmill_vlm_retries_total"), 1) << last_body_;
  EXPECT_EQ(moved("docmill_vlm_fallbacks_total"), 0) << last_body_;
  EXPECT_GT(moved(R"(docmill_vlm_tokens_total{kind="prompt"})"), 0) << last_body_;
  EXPECT_GT(moved(R"(docmill_vlm_tokens_total{kind="completion"})"), 0) << last_body_;
  EXPECT_EQ(moved(R"(docmill_pages_total{method="vlm",outcome="ok"})"), 1) << last_body_;

  // Two loops: Tesseract reads the page instead.
  vlm.push_reply(FakeReply::loop());
  vlm.push_reply(FakeReply::loop());
  const std::string fell = submit(*client_, scanned_pdf(ocr_document(1), 100));
  ASSERT_EQ(wait_finished(*client_, fell)["status"], "completed") << server_log();
  const auto last = after_job(after, "docmill_vlm_fallbacks_total");
  EXPECT_EQ(
      value(last, "docmill_vlm_fallbacks_total") - value(after, "docmill_vlm_fallbacks_total"), 1)
      << last_body_;
  EXPECT_EQ(value(last, R"(docmill_pages_total{method="ocr",outcome="ok"})") -
                value(after, R"(docmill_pages_total{method="ocr",outcome="ok"})"),
            1)
      << last_body_;
}

TEST_F(MetricsE2e, ReadyIs200NormallyAnd503NamingTheFreeSpaceCheck) {
  start_server();
  auto ok = client_->Get("/ready");
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->status, 200) << ok->body;
  const json ready = json_of(ok);
  EXPECT_EQ(ready["status"], "ready");
  for (const char* check : {"store", "engine", "disk_space"}) {
    EXPECT_EQ(ready["checks"][check]["ok"], true) << check << ": " << ready.dump();
  }
  kill_server();

  // More free space than any disk has: only the disk check fails, and says so.
  start_server({{"DOCMILL_READY_MIN_FREE_MB", "1000000000"}});
  auto short_of_space = client_->Get("/ready");
  ASSERT_TRUE(short_of_space);
  ASSERT_EQ(short_of_space->status, 503) << short_of_space->body;
  const json not_ready = json_of(short_of_space);
  EXPECT_EQ(not_ready["status"], "not_ready");
  EXPECT_EQ(not_ready["error"], "not_ready");
  EXPECT_EQ(not_ready["checks"]["disk_space"]["ok"], false) << not_ready.dump();
  EXPECT_EQ(not_ready["checks"]["disk_space"]["min_free_mb"], 1000000000);
  EXPECT_NE(not_ready["checks"]["disk_space"]["error"].get<std::string>().find(
                "DOCMILL_READY_MIN_FREE_MB"),
            std::string::npos)
      << not_ready.dump();
  EXPECT_EQ(not_ready["checks"]["store"]["ok"], true);
  EXPECT_EQ(not_ready["checks"]["engine"]["ok"], true);
  EXPECT_NE(not_ready["detail"].get<std::string>().find("disk_space"), std::string::npos);
  // /health is what it was: the process is up.
  EXPECT_EQ(json_of(client_->Get("/health"))["status"], "healthy");
}

TEST_F(MetricsE2e, BothNeedTheTokenUnlessMetricsArePublic) {
  start_server({{"AUTH_TOKEN", kToken}});
  {
    auto bare = bare_client();
    for (const char* path : {"/metrics", "/ready"}) {
      auto without = bare.Get(path);
      ASSERT_TRUE(without) << path;
      EXPECT_EQ(without->status, 401) << path;
      auto with = client_->Get(path);
      ASSERT_TRUE(with) << path;
      EXPECT_EQ(with->status, 200) << path << ": " << with->body;
    }
  }
  kill_server();

  start_server({{"AUTH_TOKEN", kToken}, {"DOCMILL_METRICS_PUBLIC", "1"}});
  auto bare = bare_client();
  for (const char* path : {"/metrics", "/ready"}) {
    auto res = bare.Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 200) << path << ": " << res->body;
  }
  auto tasks = bare.Get("/tasks");  // the rest of the API still needs it
  ASSERT_TRUE(tasks);
  EXPECT_EQ(tasks->status, 401);
}

}  // namespace
}  // namespace docmill::testing
