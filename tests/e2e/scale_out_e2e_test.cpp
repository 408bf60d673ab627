// Several API nodes (`docmill serve --no-workers`) and worker machines (`docmill worker`) on one
// PostgreSQL database and one shared data directory, each a real process: jobs uploaded to any
// node complete once with the output of a single machine; a worker killed mid-page has its
// page redone after the lease and nothing else; the database dropping every connection for a
// while costs nothing; DELETE on one node stops the work on another machine's worker; a finished
// job's webhook is sent by one API node, not by each. With an object store (the fake S3 server)
// instead of the shared directory, nodes share no directory at all: every file of a job lives
// in the bucket, and DELETE on any node empties it there. Skipped, saying why, where no
// PostgreSQL server is configured (scripts/test.sh provides one); the object store on one
// machine (ObjectStore) needs none.
#include <gtest/gtest.h>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "e2e/e2e_fixture.h"
#include "support/command_output.h"
#include "support/fake_s3_server.h"
#include "support/test_database.h"
#include "support/webhook_receiver.h"
#include "support/zip_reader.h"

namespace docmill::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// Text-layer pages are quick, OCR pages about a second each (kSlowFields).
const std::map<std::string, std::string> kOcrFields = {{"force_ocr", "true"}};
// A worker with a 2 s lease renews it every half second, well within one OCR page (over a
// second): a delete made once a page is running is seen while that page still runs.
const std::map<std::string, std::string> kQuickLeaseRenewals = {{"DOCMILL_LEASE_SECONDS", "2"}};
const std::string kPagesRunning =
    "SELECT COUNT(*) FROM work_units WHERE state = 'claimed' AND page_index >= 0";

// The settings that put a node's job files in `s3`.
std::map<std::string, std::string> s3_env(const FakeS3Server& s3) {
  return {{"DOCMILL_S3_ENDPOINT", s3.endpoint()},
          {"DOCMILL_S3_BUCKET", s3.bucket()},
          {"DOCMILL_S3_REGION", s3.credentials().region},
          {"DOCMILL_S3_ACCESS_KEY_ID", s3.credentials().access_key},
          {"DOCMILL_S3_SECRET_ACCESS_KEY", s3.credentials().secret_key}};
}

// The bucket's keys under jobs/<id>/, without that prefix.
std::vector<std::string> job_objects(const FakeS3Server& s3, const std::string& id) {
  const std::string prefix = "jobs/" + id + "/";
  std::vector<std::string> out;
  for (const auto& key : s3.keys()) {
    if (key.starts_with(prefix)) out.push_back(key.substr(prefix.size()));
  }
  return out;
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

class ScaleOut : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    db_ = TestDatabase::create(why);
    if (!db_) GTEST_SKIP() << why;
  }

  std::map<std::string, std::string> env(std::map<std::string, std::string> extra = {}) const {
    extra["DOCMILL_DATABASE_URL"] = db_->url();
    if (s3_) extra.merge(s3_env(*s3_));
    return extra;
  }

  // From here on, nodes keep the jobs' files in the fake S3 server, each with a data directory
  // of its own.
  void use_object_store() {
    s3_.emplace();
    ASSERT_TRUE(s3_->start());
  }
  // The shared data directory, or with an object store a node's own.
  std::filesystem::path node_dir(const std::string& node) const {
    return s3_ ? tmp_ / (node + "-data") : data_dir();
  }

  httplib::Client& start_api(std::map<std::string, std::string> extra = {}) {
    const auto n = apis_.size();
    apis_.push_back(ServerProcess::start({node_dir(fmt::format("api{}", n)),
                                          tmp_ / fmt::format("api{}.log", n),
                                          env(std::move(extra)),
                                          {"serve", "--no-workers"}}));
    clients_.push_back(apis_.back()->client());
    return *clients_.back();
  }

  ServerProcess& start_worker(std::map<std::string, std::string> extra = {}) {
    extra.try_emplace("DOCMILL_WORKERS", "1");
    const auto n = workers_.size();
    workers_.push_back(ServerProcess::start({node_dir(fmt::format("worker{}", n)),
                                             tmp_ / fmt::format("worker{}.log", n),
                                             env(std::move(extra)),
                                             {"worker"},
                                             "docmill worker:"}));
    return *workers_.back();
  }

  std::string submit_to(httplib::Client& c, const std::string& pdf,
                        const std::map<std::string, std::string>& fields) {
    const json body = json_of(upload_pdf(c, pdf, "document.pdf", fields));
    EXPECT_TRUE(body.contains("job_id")) << body.dump() << logs();
    return body.value("job_id", std::string());
  }

  long long count(const std::string& sql) const { return db_->query_int(sql); }

  // Waits until `sql` counts at least `n`.
  bool wait_count(const std::string& sql, long long n, std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (count(sql) >= n) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  std::string logs() const {
    std::string out;
    for (const auto& p : apis_) out += "\n--- api\n" + p->log();
    for (const auto& p : workers_) out += "\n--- worker\n" + p->log();
    return out;
  }

  std::filesystem::path data_dir() const { return tmp_ / "data"; }

  TempDir tmp_;
  std::unique_ptr<TestDatabase> db_;
  std::optional<FakeS3Server> s3_;
  std::vector<std::unique_ptr<ServerProcess>> apis_;
  std::vector<std::unique_ptr<httplib::Client>> clients_;
  std::vector<std::unique_ptr<ServerProcess>> workers_;
};

TEST_F(ScaleOut, TwoApiNodesAndThreeWorkersCompleteEveryJobOnceWithOneMachinesOutput) {
  httplib::Client& a = start_api();
  httplib::Client& b = start_api();
  for (int i = 0; i < 3; ++i) start_worker();

  struct Upload {
    std::string pdf;
    std::map<std::string, std::string> fields;
  };
  const std::vector<Upload> uploads = {{content_document(), {}},
                                       {ocr_document(2), kOcrFields},
                                       {content_document(), {}},
                                       {ocr_document(3), kOcrFields}};
  std::vector<std::string> ids;
  for (size_t i = 0; i < uploads.size(); ++i) {
    ids.push_back(submit_to(i % 2 == 0 ? a : b, uploads[i].pdf, uploads[i].fields));
  }
  // Each job is followed on the node it was not uploaded to.
  std::vector<std::string> outputs;
  for (size_t i = 0; i < ids.size(); ++i) {
    httplib::Client& other = i % 2 == 0 ? b : a;
    const json done = wait_finished(other, ids[i], 180s);
    ASSERT_EQ(done["status"], "completed") << done.dump() << logs();
    const json md = json_of(other.Get("/result/" + ids[i] + "/markdown"));
    outputs.push_back(md.value("content", std::string()));
  }
  // Every page and every assembly handed out once (2 + 2 + 2 + 3 pages, 4 assemblies).
  EXPECT_EQ(count("SELECT COUNT(*) FROM work_units"), 13);
  EXPECT_EQ(count("SELECT COUNT(*) FROM work_units WHERE attempts <> 1"), 0) << logs();

  // One machine with SQLite reads the same documents into the same markdown.
  TempDir alone;
  auto single = ServerProcess::start({alone / "data", alone / "server.log", {}});
  auto c = single->client();
  for (size_t i = 0; i < uploads.size(); ++i) {
    const std::string id = submit_to(*c, uploads[i].pdf, uploads[i].fields);
    const json done = wait_finished(*c, id, 180s);
    ASSERT_EQ(done["status"], "completed") << done.dump() << single->log();
    const json md = json_of(c->Get("/result/" + id + "/markdown"));
    EXPECT_EQ(md.value("content", std::string()), outputs[i]) << "upload " << i;
  }
}

TEST_F(ScaleOut, AWorkerKilledMidPageHasOnlyThatPageRedoneByAnotherAfterTheLease) {
  const std::map<std::string, std::string> lease = {{"DOCMILL_LEASE_SECONDS", "2"}};
  httplib::Client& api = start_api(lease);
  ServerProcess& doomed = start_worker(lease);
  const std::string id = submit_to(api, ocr_document(4), kSlowFields);
  // The doomed worker holds a page (its units' worker ids start with its host and pid).
  const std::string held_by_doomed = fmt::format(
      "SELECT COUNT(*) FROM work_units WHERE state = 'claimed' AND page_index >= 0 AND "
      "position(':{}:' in worker_id) > 0",
      doomed.pid());
  ASSERT_TRUE(wait_count(held_by_doomed, 1, 60s)) << logs();
  const long long done_before = count("SELECT COUNT(*) FROM work_units WHERE state = 'done'");
  doomed.send_signal(SIGKILL);
  ASSERT_TRUE(doomed.wait_exit(10s).has_value());
  start_worker(lease);

  const json done = wait_finished(api, id, 180s);
  ASSERT_EQ(done["status"], "completed") << done.dump() << logs();
  EXPECT_EQ(done["processed_pages"], 4);
  // The page it held was taken over after its lease ran out, on a second attempt; the pages
  // recorded before the kill (and the others) were read once.
  EXPECT_EQ(count("SELECT COUNT(*) FROM work_units WHERE attempts = 2"), 1) << logs();
  EXPECT_EQ(count("SELECT COUNT(*) FROM work_units WHERE attempts > 2"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM work_units WHERE attempts = 1"), 5 - 1);
  EXPECT_LE(done_before, 3);
  const json status = json_of(api.Get("/result/" + id + "/status"));
  EXPECT_FALSE(status.contains("error_message") && status["error_message"].is_string())
      << status.dump();
}

TEST_F(ScaleOut, TheDatabaseDroppingEveryConnectionMidJobCostsNothing) {
  httplib::Client& api = start_api();
  start_worker();
  start_worker();
  const std::string id = submit_to(api, ocr_document(4), kSlowFields);
  ASSERT_TRUE(wait_count("SELECT COUNT(*) FROM work_units WHERE state = 'done'", 1, 60s)) << logs();

  // As a restart looks to its clients: every connection cut, new ones refused for a while.
  ASSERT_EQ(TestDatabase::run_on_server(
                fmt::format("ALTER DATABASE {} ALLOW_CONNECTIONS false", db_->name())),
            "");
  const std::string cut = fmt::format(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{}'", db_->name());
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(TestDatabase::run_on_server(cut), "");
    std::this_thread::sleep_for(200ms);
  }
  ASSERT_EQ(TestDatabase::run_on_server(
                fmt::format("ALTER DATABASE {} ALLOW_CONNECTIONS true", db_->name())),
            "");

  const json done = wait_finished(api, id, 180s);
  ASSERT_EQ(done["status"], "completed") << done.dump() << logs();
  EXPECT_EQ(done["processed_pages"], 4);
  EXPECT_EQ(count("SELECT COUNT(*) FROM work_units WHERE error IS NOT NULL"), 0) << logs();
  EXPECT_NE(logs().find("reconnected to the job database"), std::string::npos) << logs();
  // The nodes reconnected: a new job goes through both.
  const std::string next = submit_to(api, content_document(), {});
  EXPECT_EQ(wait_finished(api, next, 60s)["status"], "completed") << logs();
}

TEST_F(ScaleOut, DeleteOnOneNodeStopsTheWorkOfAnotherMachinesWorker) {
  httplib::Client& a = start_api();
  httplib::Client& b = start_api();
  ServerProcess& worker = start_worker(kQuickLeaseRenewals);
  const std::string id = submit_to(a, ocr_document(30), kSlowFields);
  ASSERT_TRUE(wait_count("SELECT COUNT(*) FROM work_units WHERE state = 'done'", 1, 60s)) << logs();
  ASSERT_TRUE(wait_count(kPagesRunning, 1, 10s)) << logs();

  ASSERT_EQ(b.Delete("/result/" + id)->status, 200);
  EXPECT_EQ(a.Get("/result/" + id + "/status")->status, 404);
  EXPECT_FALSE(std::filesystem::exists(data_dir() / "jobs" / id));
  // The worker finds its unit gone at its next lease renewal (half a second) and stops.
  EXPECT_TRUE(wait_for_log([&] { return worker.log(); }, "lease lost", 1, 10s)) << logs();
  EXPECT_EQ(count("SELECT COUNT(*) FROM work_units"), 0);
  // Free again: the next job is read at once, not after 30 pages of the deleted one.
  const std::string next = submit_to(b, content_document(), {});
  EXPECT_EQ(wait_finished(a, next, 30s)["status"], "completed") << logs();
}

TEST_F(ScaleOut, MigrateAppliesTheSchemaOnceAndSaysFromWhichVersion) {
  const std::string migrate =
      fmt::format("{} migrate --database-url {}", DOCMILL_BINARY, db_->url());
  const auto first = command_output(migrate);
  ASSERT_TRUE(first.has_value());
  EXPECT_NE(first->find("schema version 0 -> 1"), std::string::npos) << *first;
  const auto again = command_output(migrate);
  ASSERT_TRUE(again.has_value());
  EXPECT_NE(again->find("schema version 1, up to date"), std::string::npos) << *again;
  EXPECT_EQ(count("SELECT COUNT(*) FROM work_units"), 0);  // the tables exist
  // A server that cannot be reached: exit 2, and the password is not printed.
  EXPECT_FALSE(command_output(fmt::format(
      "{} migrate --database-url postgresql://u:hunter2@127.0.0.1:1/x 2>&1", DOCMILL_BINARY)));
  const auto said = command_output(fmt::format(
      "{} migrate --database-url postgresql://u:hunter2@127.0.0.1:1/x 2>&1; true", DOCMILL_BINARY));
  ASSERT_TRUE(said.has_value());
  EXPECT_NE(said->find("postgresql://u:***@127.0.0.1:1/x"), std::string::npos) << *said;
  EXPECT_EQ(said->find("hunter2"), std::string::npos) << *said;
}

TEST_F(ScaleOut, AFinishedJobsWebhookIsSentByOneApiNodeNotByEach) {
  WebhookReceiver receiver;
  ASSERT_TRUE(receiver.start());
  const std::map<std::string, std::string> hooks = {{"DOCMILL_WEBHOOK_ALLOW_HOSTS", "127.0.0.1"}};
  httplib::Client& a = start_api(hooks);
  start_api(hooks);
  start_api(hooks);
  start_worker();
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(submit_to(a, content_document(), {{"callback_url", receiver.url()}}));
  }
  for (const auto& id : ids) ASSERT_EQ(wait_finished(a, id, 60s)["status"], "completed");
  ASSERT_TRUE(receiver.wait_for(3, 30s)) << logs();
  // Every sender polls each second: give the others time to send again if they were going to.
  std::this_thread::sleep_for(3s);
  EXPECT_EQ(receiver.received().size(), 3u) << logs();
}

TEST_F(ScaleOut, WithAnObjectStoreNodesShareNoDirectoryAndEveryFileOfAJobIsInTheBucket) {
  use_object_store();
  httplib::Client& a = start_api();
  httplib::Client& b = start_api();
  start_worker();
  start_worker();
  const std::string scan = submit_to(a, ocr_document(2), kOcrFields);
  const std::string figures = submit_to(b, content_document(), {});

  // Followed on the node it was not uploaded to, which read none of it: what it serves it
  // fetched from the bucket.
  const json scan_done = wait_finished(b, scan, 180s);
  ASSERT_EQ(scan_done["status"], "completed") << scan_done.dump() << logs();
  const json figures_done = wait_finished(a, figures, 60s);
  ASSERT_EQ(figures_done["status"], "completed") << figures_done.dump() << logs();
  const std::string scan_md = json_of(b.Get("/result/" + scan + "/markdown")).value("content", "");
  const std::string figures_md =
      json_of(a.Get("/result/" + figures + "/markdown")).value("content", "");
  EXPECT_NE(scan_md.find("Glaciers"), std::string::npos) << scan_md;

  const auto objects = job_objects(*s3_, scan);
  for (const char* name :
       {"input.pdf", "pages/0.json", "pages/1.json", "output.md", "output_det.md", "layout.pdf"}) {
    EXPECT_TRUE(contains(objects, name)) << name << " is not in the bucket" << logs();
  }
  const json images = json_of(a.Get("/result/" + figures + "/images"));
  ASSERT_GE(images.value("count", 0), 1) << images.dump();
  const std::string figure = images["images"][0].get<std::string>();
  EXPECT_TRUE(contains(job_objects(*s3_, figures), "images/" + figure));
  auto jpeg = a.Get("/result/" + figures + "/images/" + figure);
  ASSERT_TRUE(jpeg);
  EXPECT_EQ(jpeg->status, 200);
  auto zip = b.Get("/result/" + figures + "/archive");
  ASSERT_TRUE(zip);
  ASSERT_EQ(zip->status, 200);
  std::string why;
  const auto entries = read_zip(zip->body, &why);
  ASSERT_TRUE(entries) << why;
  std::map<std::string, std::string> archived;
  for (const auto& e : *entries) archived[e.name] = e.data;
  EXPECT_TRUE(archived.contains("images/" + figure));
  EXPECT_EQ(archived["output.md"], figures_md);
  EXPECT_EQ(s3_->rejected(), 0) << s3_->last_rejection();

  // The same uploads on one machine with its files in its data directory read the same.
  TempDir alone;
  auto single = ServerProcess::start({alone / "data", alone / "server.log", {}});
  auto c = single->client();
  const std::string scan_alone = submit_to(*c, ocr_document(2), kOcrFields);
  const std::string figures_alone = submit_to(*c, content_document(), {});
  ASSERT_EQ(wait_finished(*c, scan_alone, 180s)["status"], "completed") << single->log();
  ASSERT_EQ(wait_finished(*c, figures_alone, 60s)["status"], "completed") << single->log();
  EXPECT_EQ(json_of(c->Get("/result/" + scan_alone + "/markdown")).value("content", ""), scan_md);
  EXPECT_EQ(json_of(c->Get("/result/" + figures_alone + "/markdown")).value("content", ""),
            figures_md);

  // DELETE on either node empties the bucket of the job.
  ASSERT_EQ(a.Delete("/result/" + scan)->status, 200);
  EXPECT_TRUE(job_objects(*s3_, scan).empty());
  EXPECT_FALSE(job_objects(*s3_, figures).empty());
}

TEST_F(ScaleOut, WithAnObjectStoreDeleteOnOneNodeStopsAnotherMachinesWorkerAndEmptiesTheBucket) {
  use_object_store();
  httplib::Client& a = start_api();
  httplib::Client& b = start_api();
  ServerProcess& worker = start_worker(kQuickLeaseRenewals);
  const std::string id = submit_to(a, ocr_document(30), kSlowFields);
  ASSERT_TRUE(wait_count("SELECT COUNT(*) FROM work_units WHERE state = 'done'", 1, 60s)) << logs();
  ASSERT_TRUE(wait_count(kPagesRunning, 1, 10s)) << logs();
  EXPECT_TRUE(contains(job_objects(*s3_, id), "pages/0.json")) << "a page is in the bucket";

  ASSERT_EQ(b.Delete("/result/" + id)->status, 200);
  EXPECT_TRUE(wait_for_log([&] { return worker.log(); }, "lease lost", 1, 10s)) << logs();
  // The rows went first, then the objects; the worker stopped before it could put more.
  std::this_thread::sleep_for(1s);
  EXPECT_TRUE(job_objects(*s3_, id).empty())
      << fmt::format("{}", fmt::join(job_objects(*s3_, id), ", ")) << logs();
}

// One machine, its jobs' files in an object store: the data directory only holds copies, so
// losing it loses nothing.
TEST(ObjectStore, ResultsOutliveTheLocalCopiesAndDeleteEmptiesTheBucket) {
  FakeS3Server s3;
  ASSERT_TRUE(s3.start());
  TempDir tmp;
  auto server = ServerProcess::start({tmp / "data", tmp / "server.log", s3_env(s3)});
  auto c = server->client();
  const json body = json_of(upload_pdf(*c, content_document(), "document.pdf", {}));
  const std::string id = body.value("job_id", std::string());
  ASSERT_FALSE(id.empty()) << body.dump() << server->log();
  ASSERT_EQ(wait_finished(*c, id, 60s)["status"], "completed") << server->log();
  const std::string md = json_of(c->Get("/result/" + id + "/markdown")).value("content", "");
  ASSERT_FALSE(md.empty());

  std::filesystem::remove_all(tmp / "data" / "jobs" / id);
  EXPECT_EQ(json_of(c->Get("/result/" + id + "/markdown")).value("content", ""), md);
  auto pdf = c->Get("/result/" + id + "/layout_pdf");
  ASSERT_TRUE(pdf);
  EXPECT_EQ(pdf->status, 200);
  EXPECT_TRUE(pdf->body.starts_with("%PDF-"));
  EXPECT_TRUE(std::filesystem::exists(tmp / "data" / "jobs" / id / "layout.pdf"))
      << "fetched back into the data directory";

  ASSERT_EQ(c->Delete("/result/" + id)->status, 200);
  EXPECT_TRUE(job_objects(s3, id).empty());
  EXPECT_FALSE(std::filesystem::exists(tmp / "data" / "jobs" / id));
  EXPECT_EQ(s3.rejected(), 0) << s3.last_rejection();
}

// The object store going away: an upload meanwhile is refused with 503, naming the setting to
// check, and leaves nothing; pages whose files cannot be stored wait for it and are not failed,
// and the job completes once it is back.
TEST(ObjectStore, AnOutageRefusesUploadsAndPutsPagesOffUntilTheStoreIsBack) {
  FakeS3Server s3;
  ASSERT_TRUE(s3.start());
  TempDir tmp;
  auto server = ServerProcess::start({tmp / "data", tmp / "server.log", s3_env(s3)});
  auto c = server->client();

  s3.stop();
  auto refused = upload_pdf(*c, content_document(), "document.pdf", {});
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 503) << refused->body;
  EXPECT_NE(refused->body.find("DOCMILL_S3_ENDPOINT"), std::string::npos) << refused->body;
  EXPECT_TRUE(std::filesystem::is_empty(tmp / "data" / "jobs"));
  EXPECT_TRUE(std::filesystem::is_empty(tmp / "data" / "uploads"));
  ASSERT_TRUE(s3.start());

  const json body = json_of(upload_pdf(*c, ocr_document(3), "document.pdf", kSlowFields));
  const std::string id = body.value("job_id", std::string());
  ASSERT_FALSE(id.empty()) << body.dump() << server->log();
  s3.stop();
  ASSERT_TRUE(wait_for_log([&] { return server->log(); }, "put off", 1, 60s)) << server->log();
  ASSERT_TRUE(s3.start());
  const json done = wait_finished(*c, id, 180s);
  ASSERT_EQ(done["status"], "completed") << done.dump() << server->log();
  EXPECT_EQ(done["processed_pages"], 3);
  EXPECT_FALSE(done.contains("error_message") && done["error_message"].is_string()) << done.dump();
  EXPECT_TRUE(contains(job_objects(s3, id), "output.md"));
}

// A bucket that cannot be used stops the start with a message that says what to check.
TEST(ObjectStore, AServerWhoseBucketIsMissingDoesNotStartAndSaysWhy) {
  FakeS3Server s3("another-bucket");
  ASSERT_TRUE(s3.start());
  auto env = s3_env(s3);
  env["DOCMILL_S3_BUCKET"] = "docmill-missing";
  TempDir tmp;
  const auto said = command_output(fmt::format(
      "DOCMILL_DATA_DIR={} DOCMILL_PORT=65000 DOCMILL_S3_ENDPOINT={} DOCMILL_S3_BUCKET={} "
      "DOCMILL_S3_ACCESS_KEY_ID={} DOCMILL_S3_SECRET_ACCESS_KEY={} timeout 60 {} serve 2>&1; "
      "echo exit=$?",
      (tmp / "data").string(), env["DOCMILL_S3_ENDPOINT"], env["DOCMILL_S3_BUCKET"],
      env["DOCMILL_S3_ACCESS_KEY_ID"], env["DOCMILL_S3_SECRET_ACCESS_KEY"], DOCMILL_BINARY));
  ASSERT_TRUE(said.has_value());
  EXPECT_NE(said->find("DOCMILL_S3_BUCKET"), std::string::npos) << *said;
  EXPECT_EQ(said->find("exit=0"), std::string::npos) << *said;
  EXPECT_EQ(said->find(s3.credentials().secret_key), std::string::npos) << *said;
}

}  // namespace
}  // namespace docmill::testing
