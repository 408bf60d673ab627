// The JobStore contract, run against both stores (JobStoreTest, once per store), and what is
// the SQLite store's own (SqliteJobStoreTest: its file, its locks, its older versions).
#include "jobs/sqlite_job_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <sqlite3.h>

#include "core/clock.h"
#include "jobs/postgres_job_store.h"
#include "jobs/postgres_schema.h"
#include "support/temp_dir.h"
#include "support/test_database.h"

namespace docmill {
namespace {

using namespace std::chrono_literals;

constexpr auto kLongLease = 60s;
constexpr int kMaxAttempts = 3;

Job make_job(std::string id, int pages, std::string filename = "scan.pdf") {
  Job job;
  job.job_id = std::move(id);
  job.filename = std::move(filename);
  job.total_pages = pages;
  job.options.lang = "eng+deu";
  job.options.dpi = 200;
  job.options.force_ocr = true;
  return job;
}

std::vector<int> first_pages(int n) {
  std::vector<int> pages(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) pages[static_cast<size_t>(i)] = i;
  return pages;
}

// The store a test runs against, "sqlite" or "postgres"; opened again by reopen() as a
// restarted server would.
class JobStoreFixture : public ::testing::Test {
 protected:
  virtual std::string kind() const = 0;

  void SetUp() override {
    if (kind() == "postgres") {
      std::string why;
      database_ = testing::TestDatabase::create(why);
      if (!database_) GTEST_SKIP() << why;
    }
    reopen();
  }

  void reopen() {
    store_.reset();
    if (database_) {
      auto store = PostgresJobStore::open(database_->url());
      ASSERT_TRUE(store) << store.error().message;
      store_ = std::move(*store);
    } else {
      auto store = SqliteJobStore::open(db_file());
      ASSERT_TRUE(store) << store.error().message;
      store_ = std::move(*store);
    }
  }

  std::filesystem::path db_file() const { return dir_ / "task_status.db"; }

  void add_job(const std::string& id, int pages) {
    const auto indices = first_pages(pages);
    auto s = store_->create_job(make_job(id, pages), indices);
    ASSERT_TRUE(s) << s.error().message;
  }

  WorkClaim claim(std::string_view worker = "w1", std::chrono::milliseconds lease = kLongLease) {
    auto c = store_->claim_next(worker, lease, kMaxAttempts);
    EXPECT_TRUE(c) << c.error().message;
    EXPECT_TRUE(c && c->has_value());
    return c && c->has_value() ? **c : WorkClaim{};
  }

  void expect_nothing_to_claim(std::string_view worker = "w1") {
    auto c = store_->claim_next(worker, kLongLease, kMaxAttempts);
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_FALSE(c->has_value()) << "claimed " << (*c)->job_id << " page " << (*c)->page_index;
  }

  PageOutcome complete(const WorkClaim& c, std::string_view worker = "w1",
                       std::optional<std::string> error = std::nullopt, const PageCost& cost = {}) {
    auto r = store_->complete_page(c, worker, std::move(error), cost);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : PageOutcome::kJobGone;
  }

  Job job(const std::string& id) {
    auto j = store_->get_job(id);
    EXPECT_TRUE(j) << j.error().message;
    EXPECT_TRUE(j && j->has_value()) << "no job " << id;
    return j && j->has_value() ? **j : Job{};
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::TestDatabase> database_;  // set for "postgres"
  std::unique_ptr<JobStore> store_;
};

class JobStoreTest : public JobStoreFixture, public ::testing::WithParamInterface<std::string> {
 protected:
  std::string kind() const override { return GetParam(); }
};

INSTANTIATE_TEST_SUITE_P(Stores, JobStoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

class SqliteJobStoreTest : public JobStoreFixture {
 protected:
  std::string kind() const override { return "sqlite"; }
};

class PostgresJobStoreTest : public JobStoreFixture {
 protected:
  std::string kind() const override { return "postgres"; }
};

TEST_P(JobStoreTest, CreateGetAndListNewestFirst) {
  add_job("a", 2);
  add_job("b", 1);
  add_job("c", 3);

  const Job a = job("a");
  EXPECT_EQ(a.status, JobStatus::kPending);
  EXPECT_EQ(a.filename, "scan.pdf");
  EXPECT_EQ(a.total_pages, 2);
  EXPECT_EQ(a.processed_pages, 0);
  EXPECT_FALSE(a.error_message);
  EXPECT_FALSE(a.created_at.empty());
  EXPECT_FALSE(a.updated_at.empty());
  EXPECT_EQ(a.options.lang, "eng+deu");
  EXPECT_EQ(a.options.dpi, 200);
  EXPECT_TRUE(a.options.force_ocr);

  auto missing = store_->get_job("nope");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());

  // All three share a creation second; the order still comes out right.
  auto all = store_->list_jobs(std::nullopt);
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].job_id, "c");
  EXPECT_EQ((*all)[1].job_id, "b");
  EXPECT_EQ((*all)[2].job_id, "a");

  const WorkClaim first = claim();  // job a becomes processing
  EXPECT_EQ(first.job_id, "a");
  auto processing = store_->list_jobs(JobStatus::kProcessing);
  ASSERT_TRUE(processing);
  ASSERT_EQ(processing->size(), 1u);
  EXPECT_EQ((*processing)[0].job_id, "a");
  auto pending = store_->list_jobs(JobStatus::kPending);
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ((*pending)[0].job_id, "c");
  auto failed = store_->list_jobs(JobStatus::kFailed);
  ASSERT_TRUE(failed);
  EXPECT_TRUE(failed->empty());

  auto unfinished = store_->count_unfinished_jobs();
  ASSERT_TRUE(unfinished);
  EXPECT_EQ(*unfinished, 3);
  ASSERT_TRUE(store_->finish_job("b", JobStatus::kFailed, "broken"));
  unfinished = store_->count_unfinished_jobs();
  ASSERT_TRUE(unfinished);
  EXPECT_EQ(*unfinished, 2);
  EXPECT_EQ(job("b").error_message, "broken");
}

TEST_P(JobStoreTest, CountsJobsByStatusAndTheUnitsWaiting) {
  auto empty = store_->counts();
  ASSERT_TRUE(empty) << empty.error().message;
  EXPECT_EQ(empty->jobs.size(), 4u);  // every status, at 0
  for (const auto& [status, n] : empty->jobs) EXPECT_EQ(n, 0) << to_string(status);
  EXPECT_EQ(empty->open_units, 0);

  add_job("a", 2);  // two pages and the assembly
  add_job("b", 1);
  complete(claim());  // a's first page: a processing
  auto counts = store_->counts();
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->jobs.at(JobStatus::kPending), 1);
  EXPECT_EQ(counts->jobs.at(JobStatus::kProcessing), 1);
  EXPECT_EQ(counts->jobs.at(JobStatus::kCompleted), 0);
  EXPECT_EQ(counts->open_units, 4);  // a's second page and assembly, b's page and assembly
}

TEST_F(SqliteJobStoreTest, CheckWritableWritesAndFailsWhileAnotherProcessHoldsTheWriteLock) {
  EXPECT_TRUE(store_->check_writable());
  EXPECT_TRUE(store_->check_writable());  // again: the one row is replaced

  // Another connection (as another process would) takes the write lock and keeps it past the
  // store's busy timeout: the write cannot go through, and the error says which database.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(db_file().c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  const auto blocked = store_->check_writable();
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code, ErrorCode::kDatabase);
  EXPECT_NE(blocked.error().message.find(db_file().string()), std::string::npos)
      << blocked.error().message;
  EXPECT_TRUE(store_->check_writable());
}

TEST_P(JobStoreTest, DuplicateJobIdIsAnErrorAndLeavesNoUnits) {
  add_job("a", 1);
  const auto pages = first_pages(2);
  auto s = store_->create_job(make_job("a", 2), pages);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kDatabase);
  EXPECT_EQ(job("a").total_pages, 1);
}

TEST_P(JobStoreTest, RunningJobsInterleavePageByPage) {
  add_job("a", 3);
  add_job("b", 2);
  std::vector<std::pair<std::string, int>> order;
  for (int i = 0; i < 5; ++i) {
    const WorkClaim c = claim();
    order.emplace_back(c.job_id, c.page_index);
  }
  // The job with the fewest units in flight first, the older among equals; pages in order.
  const std::vector<std::pair<std::string, int>> expected = {
      {"a", 0}, {"b", 0}, {"a", 1}, {"b", 1}, {"a", 2}};
  EXPECT_EQ(order, expected);
  // Every page is held, so neither assembly unit is ready.
  expect_nothing_to_claim();
}

TEST_P(JobStoreTest, ALateSmallJobIsClaimedNext) {
  add_job("big", 20);
  const WorkClaim first = claim("w1");
  const WorkClaim second = claim("w2");
  EXPECT_EQ(complete(first, "w1"), PageOutcome::kRecorded);
  add_job("small", 1);
  // big has a page in flight, small none: small goes first, then big goes on in order.
  EXPECT_EQ(claim("w1").job_id, "small");
  EXPECT_EQ(complete(second, "w2"), PageOutcome::kRecorded);
  const WorkClaim next = claim("w2");
  EXPECT_EQ(next.job_id, "big");
  EXPECT_EQ(next.page_index, 2);
}

TEST_P(JobStoreTest, AWorkerFreedByALongJobGoesToAJobThatHasWaited) {
  // One worker: the long job has nothing in flight between its pages, like the new one; the
  // pages it has had already decide.
  add_job("long", 6);
  EXPECT_EQ(complete(claim()), PageOutcome::kRecorded);
  add_job("short", 1);
  EXPECT_EQ(claim().job_id, "short");
}

TEST_P(JobStoreTest, AHigherPriorityIsServedFirstWithFairShareWithin) {
  Job low = make_job("low", 2);
  low.priority = Priority::kLow;
  Job high1 = make_job("high1", 2);
  high1.priority = Priority::kHigh;
  Job high2 = make_job("high2", 2);
  high2.priority = Priority::kHigh;
  ASSERT_TRUE(store_->create_job(low, first_pages(2)));
  add_job("normal", 2);
  ASSERT_TRUE(store_->create_job(high1, first_pages(2)));
  ASSERT_TRUE(store_->create_job(high2, first_pages(2)));
  std::vector<std::string> order;
  for (int i = 0; i < 8; ++i) order.push_back(claim().job_id);
  const std::vector<std::string> expected = {"high1",  "high2",  "high1", "high2",
                                             "normal", "normal", "low",   "low"};
  EXPECT_EQ(order, expected);
  EXPECT_EQ(job("low").priority, Priority::kLow);
}

TEST_P(JobStoreTest, ALowJobThatWaitedTooLongIsServedAsNormal) {
  Job low = make_job("low", 1);
  low.priority = Priority::kLow;
  ASSERT_TRUE(store_->create_job(low, first_pages(1)));
  std::this_thread::sleep_for(30ms);
  add_job("normal", 1);
  auto none = store_->promote_starved(10s);
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_EQ(*none, 0);
  auto promoted = store_->promote_starved(20ms);
  ASSERT_TRUE(promoted) << promoted.error().message;
  EXPECT_EQ(*promoted, 1);  // only `low` waited that long
  // Served as normal now, and older than `normal`: first.
  EXPECT_EQ(claim().job_id, "low");
  EXPECT_EQ(job("low").priority, Priority::kLow);  // still reported as asked
}

TEST_P(JobStoreTest, TheFairOrderIsKeptAcrossARestart) {
  add_job("a", 3);
  add_job("b", 3);
  const WorkClaim a0 = claim("w1");
  reopen();
  // a still has a unit in flight (its lease is running): b goes first after the restart too.
  EXPECT_EQ(claim("w2").job_id, "b");
  EXPECT_EQ(complete(a0, "w1"), PageOutcome::kRecorded);
  EXPECT_EQ(claim("w3").job_id, "a");
}

TEST_P(JobStoreTest, AQueuedJobKnowsWhatIsAheadOfIt) {
  add_job("a", 3);
  add_job("b", 2);
  Job high = make_job("h", 1);
  high.priority = Priority::kHigh;
  ASSERT_TRUE(store_->create_job(high, first_pages(1)));
  auto b = store_->queue_standing("b");
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->queue_position, 2);  // h (higher) and a (older)
  EXPECT_EQ(b->pages_ahead, 4);
  EXPECT_FALSE(b->seconds_per_page);  // nothing done yet
  auto h = store_->queue_standing("h");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->queue_position, 0);
  EXPECT_EQ(h->pages_ahead, 0);
  const WorkClaim h0 = claim();
  EXPECT_EQ(h0.job_id, "h");
  EXPECT_FALSE(store_->queue_standing("h")->queue_position);  // started
  EXPECT_EQ(complete(h0), PageOutcome::kLastPage);
  EXPECT_TRUE(claim().is_assembly());  // h's, then h is done
  ASSERT_TRUE(store_->finish_job("h", JobStatus::kCompleted, std::nullopt));
  const WorkClaim a0 = claim();
  EXPECT_EQ(a0.job_id, "a");
  std::this_thread::sleep_for(5ms);
  EXPECT_EQ(complete(a0), PageOutcome::kRecorded);
  auto paced = store_->queue_standing("b");
  ASSERT_TRUE(paced);
  EXPECT_TRUE(paced->seconds_per_page);  // two pages done: a pace
  auto missing = store_->queue_standing("nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(JobStoreTest, AJobsOwnPaceFollowsTheReadMethodsOfItsPages) {
  add_job("born", 2);
  add_job("scan", 2);
  // Born-digital pages take 10 ms, scanned ones 990 ms: two of the first, one of the second.
  int born_done = 0, scan_done = 0;
  while (born_done + scan_done < 3) {
    const WorkClaim c = claim();
    ASSERT_FALSE(c.is_assembly());
    std::this_thread::sleep_for(2ms);
    if (c.job_id == "born") {
      complete(c, "w1", std::nullopt, {"text_layer", 10});
      ++born_done;
    } else {
      complete(c, "w1", std::nullopt, {"ocr", 990});
      ++scan_done;
    }
  }
  ASSERT_EQ(born_done, 2);
  Job on_model = make_job("model", 2);
  on_model.options.engine = EngineKind::kVlm;
  ASSERT_TRUE(store_->create_job(on_model, first_pages(2)));
  add_job("later", 2);
  auto scan = store_->queue_standing("scan");
  ASSERT_TRUE(scan) << scan.error().message;
  ASSERT_TRUE(scan->seconds_per_page);
  ASSERT_TRUE(scan->own_seconds_per_page);
  // An OCR page costs 990 ms against an average of (10 + 10 + 990) / 3.
  EXPECT_NEAR(*scan->own_seconds_per_page / *scan->seconds_per_page, 990.0 / (1010.0 / 3), 1e-6);
  // Nothing says what an untouched embedded-engine job holds, nor how long the model takes
  // when no page was read by it lately: the server's pace stands.
  auto later = store_->queue_standing("later");
  ASSERT_TRUE(later);
  EXPECT_TRUE(later->seconds_per_page);
  EXPECT_FALSE(later->own_seconds_per_page);
  auto model = store_->queue_standing("model");
  ASSERT_TRUE(model);
  EXPECT_FALSE(model->own_seconds_per_page);
}

TEST_P(JobStoreTest, ClaimCarriesOptionsAndMarksTheJobProcessing) {
  add_job("a", 1);
  const WorkClaim c = claim();
  EXPECT_EQ(c.job_id, "a");
  EXPECT_EQ(c.page_index, 0);
  EXPECT_EQ(c.attempt, 1);
  EXPECT_FALSE(c.is_assembly());
  EXPECT_EQ(c.options.lang, "eng+deu");
  EXPECT_EQ(c.options.dpi, 200);
  EXPECT_TRUE(c.options.force_ocr);
  EXPECT_EQ(job("a").status, JobStatus::kProcessing);
}

TEST_P(JobStoreTest, ExpiredLeaseLetsAnotherWorkerReclaim) {
  add_job("a", 1);
  const WorkClaim first = claim("w1", 0ms);
  std::this_thread::sleep_for(5ms);
  const WorkClaim second = claim("w2");
  EXPECT_EQ(second.job_id, "a");
  EXPECT_EQ(second.page_index, 0);
  EXPECT_EQ(second.attempt, 2);

  // The first worker lost the unit: it can neither renew nor complete it.
  auto renewed = store_->renew_lease(first, "w1", kLongLease);
  ASSERT_TRUE(renewed);
  EXPECT_FALSE(*renewed);
  EXPECT_EQ(complete(first, "w1"), PageOutcome::kJobGone);
  EXPECT_EQ(job("a").processed_pages, 0);
  EXPECT_EQ(complete(second, "w2"), PageOutcome::kLastPage);
}

TEST_P(JobStoreTest, RenewKeepsTheUnitAndOnlyForItsWorker) {
  add_job("a", 1);
  const WorkClaim c = claim("w1", 20ms);
  auto other = store_->renew_lease(c, "w2", kLongLease);
  ASSERT_TRUE(other);
  EXPECT_FALSE(*other);
  auto mine = store_->renew_lease(c, "w1", kLongLease);
  ASSERT_TRUE(mine);
  EXPECT_TRUE(*mine);
  std::this_thread::sleep_for(40ms);  // past the first lease, within the renewed one
  expect_nothing_to_claim("w2");
}

TEST_P(JobStoreTest, CompletingPagesCountsAndOpensAssemblyAfterTheLast) {
  add_job("a", 3);
  const WorkClaim p0 = claim();
  const WorkClaim p1 = claim();
  const WorkClaim p2 = claim();
  expect_nothing_to_claim();

  EXPECT_EQ(complete(p1), PageOutcome::kRecorded);
  EXPECT_EQ(complete(p0), PageOutcome::kRecorded);
  EXPECT_EQ(job("a").processed_pages, 2);
  expect_nothing_to_claim();  // page 3 is still out: no assembly yet

  EXPECT_EQ(complete(p2, "w1", "page 3 could not be rendered"), PageOutcome::kLastPage);
  EXPECT_EQ(job("a").processed_pages, 3);
  // Completing twice is refused: the unit is no longer claimed.
  EXPECT_EQ(complete(p2), PageOutcome::kJobGone);
  EXPECT_EQ(job("a").processed_pages, 3);

  const WorkClaim assembly = claim("w2");
  EXPECT_TRUE(assembly.is_assembly());
  EXPECT_EQ(assembly.job_id, "a");
  expect_nothing_to_claim();

  auto errors = store_->page_errors("a");
  ASSERT_TRUE(errors);
  const std::vector<std::pair<int, std::string>> expected = {{2, "page 3 could not be rendered"}};
  EXPECT_EQ(*errors, expected);

  ASSERT_TRUE(store_->finish_job("a", JobStatus::kCompleted, std::nullopt));
  const Job done = job("a");
  EXPECT_EQ(done.status, JobStatus::kCompleted);
  EXPECT_FALSE(done.error_message);
  expect_nothing_to_claim();
}

TEST_P(JobStoreTest, AssemblyOfAnOlderJobComesBeforePagesOfANewerOne) {
  add_job("a", 1);
  add_job("b", 1);
  EXPECT_EQ(complete(claim()), PageOutcome::kLastPage);  // a, page 0
  const WorkClaim next = claim();
  EXPECT_EQ(next.job_id, "a");
  EXPECT_TRUE(next.is_assembly());
  EXPECT_EQ(claim().job_id, "b");
}

TEST_P(JobStoreTest, APageThatKeepsKillingWorkersIsSkippedWithAnError) {
  add_job("a", 2);
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    const WorkClaim c = claim("w1", 0ms);
    EXPECT_EQ(c.page_index, 0);
    EXPECT_EQ(c.attempt, attempt);
    std::this_thread::sleep_for(3ms);  // the "worker" dies; its lease runs out
  }
  // The next claim gives up on page 1 and hands out page 2 instead.
  const WorkClaim c = claim();
  EXPECT_EQ(c.page_index, 1);
  EXPECT_EQ(job("a").processed_pages, 1);

  auto errors = store_->page_errors("a");
  ASSERT_TRUE(errors);
  ASSERT_EQ(errors->size(), 1u);
  EXPECT_EQ((*errors)[0].first, 0);
  EXPECT_EQ((*errors)[0].second,
            "page 1 stopped the worker 3 times (the process crashed or was killed while reading "
            "it); skipped");

  EXPECT_EQ(complete(c), PageOutcome::kLastPage);
  EXPECT_TRUE(claim().is_assembly());
}

TEST_P(JobStoreTest, AnAssemblyThatKeepsKillingWorkersFailsTheJob) {
  add_job("a", 1);
  add_job("b", 1);
  EXPECT_EQ(complete(claim()), PageOutcome::kLastPage);
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    const WorkClaim c = claim("w1", 0ms);
    EXPECT_TRUE(c.is_assembly());
    std::this_thread::sleep_for(3ms);
  }
  const WorkClaim next = claim();
  EXPECT_EQ(next.job_id, "b");
  const Job a = job("a");
  EXPECT_EQ(a.status, JobStatus::kFailed);
  EXPECT_EQ(a.error_message, "assembling the outputs failed 3 times");
}

TEST_P(JobStoreTest, AnAbandonedUnitIsRetriedAtOnceCarryingTheCause) {
  add_job("a", 2);
  const WorkClaim first = claim("w1");
  EXPECT_FALSE(first.previous_failure);
  auto gone = store_->abandon_unit(first, "w1", "page 1 crashed the worker (SIGSEGV)", true);
  ASSERT_TRUE(gone) << gone.error().message;
  EXPECT_TRUE(*gone);
  // No lease to wait for: the same page comes back first, saying why it came back.
  const WorkClaim again = claim("w2");
  EXPECT_EQ(again.page_index, 0);
  EXPECT_EQ(again.attempt, 2);
  EXPECT_EQ(again.previous_failure, "page 1 crashed the worker (SIGSEGV)");
  EXPECT_EQ(job("a").processed_pages, 0);
  // The first worker's claim is fenced off: it can neither abandon nor complete it again.
  auto stale = store_->abandon_unit(first, "w1", "late", false);
  ASSERT_TRUE(stale);
  EXPECT_FALSE(*stale);
  EXPECT_EQ(complete(first), PageOutcome::kJobGone);
}

TEST_P(JobStoreTest, AnAbandonedPageWithoutRetryFailsAloneAndTheJobGoesOn) {
  add_job("a", 2);
  const WorkClaim c = claim();
  auto gone = store_->abandon_unit(c, "w1", "page 1 ran past the 120 s time limit", false);
  ASSERT_TRUE(gone && *gone);
  EXPECT_EQ(job("a").processed_pages, 1);
  const WorkClaim next = claim();
  EXPECT_EQ(next.page_index, 1);
  EXPECT_FALSE(next.previous_failure);
  EXPECT_EQ(complete(next), PageOutcome::kLastPage);
  auto errors = store_->page_errors("a");
  ASSERT_TRUE(errors);
  ASSERT_EQ(errors->size(), 1u);
  EXPECT_EQ((*errors)[0], std::make_pair(0, std::string("page 1 ran past the 120 s time limit")));
  EXPECT_TRUE(claim().is_assembly());
}

TEST_P(JobStoreTest, AnAbandonedAssemblyWithoutRetryFailsTheJobWithTheCause) {
  add_job("a", 1);
  EXPECT_EQ(complete(claim()), PageOutcome::kLastPage);
  const WorkClaim c = claim();
  ASSERT_TRUE(c.is_assembly());
  auto gone = store_->abandon_unit(c, "w1", "assembling the outputs crashed the worker", false);
  ASSERT_TRUE(gone && *gone);
  const Job a = job("a");
  EXPECT_EQ(a.status, JobStatus::kFailed);
  EXPECT_EQ(a.error_message, "assembling the outputs crashed the worker");
  expect_nothing_to_claim();
}

TEST_P(JobStoreTest, ReleasedClaimsOfAStoppedServerComeBackAtOnceUncounted) {
  add_job("a", 3);
  const WorkClaim mine = claim("hostA:100:w1:0");
  const WorkClaim other_host = claim("hostB:7:w1:0");
  auto released = store_->release_claims("hostA:");
  ASSERT_TRUE(released) << released.error().message;
  EXPECT_EQ(*released, 1);
  // Page 1 is open again with its attempt uncounted; page 2 stays with the other host.
  const WorkClaim again = claim("hostA:200:w1:0");
  EXPECT_EQ(again.page_index, mine.page_index);
  EXPECT_EQ(again.attempt, 1);
  EXPECT_EQ(claim("hostA:200:w1:0").page_index, 2);
  EXPECT_EQ(complete(other_host, "hostB:7:w1:0"), PageOutcome::kRecorded);
}

TEST_P(JobStoreTest, APutOffUnitComesBackAfterItsDelayUncounted) {
  add_job("a", 1);
  const WorkClaim first = claim("w1");
  auto deferred = store_->defer_unit(first, "w1", 150ms);
  ASSERT_TRUE(deferred) << deferred.error().message;
  EXPECT_TRUE(*deferred);
  // Not before the delay, and no longer the worker's: it can neither renew nor complete it.
  expect_nothing_to_claim("w2");
  auto renewed = store_->renew_lease(first, "w1", kLongLease);
  ASSERT_TRUE(renewed);
  EXPECT_FALSE(*renewed);
  EXPECT_EQ(complete(first, "w1"), PageOutcome::kJobGone);
  std::this_thread::sleep_for(200ms);
  const WorkClaim again = claim("w2");
  EXPECT_EQ(again.page_index, 0);
  EXPECT_EQ(again.attempt, 1);  // the put-off attempt did not count
  EXPECT_FALSE(again.previous_failure);
  // Only the holder of the very attempt may put a unit off.
  auto stale = store_->defer_unit(first, "w1", 150ms);
  ASSERT_TRUE(stale);
  EXPECT_FALSE(*stale);
}

TEST_P(JobStoreTest, ThePutOffUnitDoesNotHoldUpTheRestOfItsJob) {
  add_job("a", 2);
  const WorkClaim first = claim("w1");
  ASSERT_TRUE(store_->defer_unit(first, "w1", kLongLease));
  EXPECT_EQ(claim("w2").page_index, 1);
}

TEST_P(JobStoreTest, TheEngineIsKeptWithTheJob) {
  Job vlm = make_job("v", 1);
  vlm.options.engine = EngineKind::kVlm;
  ASSERT_TRUE(store_->create_job(vlm, first_pages(1)));
  add_job("t", 1);
  EXPECT_EQ(job("v").options.engine, EngineKind::kVlm);
  EXPECT_EQ(job("t").options.engine, EngineKind::kTesseract);
  EXPECT_EQ(claim().options.engine, EngineKind::kVlm);
  EXPECT_EQ(claim().options.engine, EngineKind::kTesseract);
}

TEST_P(JobStoreTest, OcrExistingIsKeptWithTheJob) {
  Job redo = make_job("r", 1);
  redo.options.ocr_existing = OcrExisting::kRedo;
  ASSERT_TRUE(store_->create_job(redo, first_pages(1)));
  add_job("a", 1);
  EXPECT_EQ(job("r").options.ocr_existing, OcrExisting::kRedo);
  EXPECT_EQ(job("a").options.ocr_existing, OcrExisting::kAuto);
  EXPECT_EQ(claim().options.ocr_existing, OcrExisting::kRedo);
  EXPECT_EQ(claim().options.ocr_existing, OcrExisting::kAuto);
}

TEST(SqliteJobStoreOpen, AQueueFromAnOlderVersionGetsTheNewColumnsAndGoesOn) {
  testing::TempDir dir;
  const auto file = dir / "task_status.db";
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    const char* old = R"sql(
CREATE TABLE tasks (job_id TEXT PRIMARY KEY, status TEXT NOT NULL, created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL, error_message TEXT NULL, filename TEXT NOT NULL,
  total_pages INTEGER NOT NULL, processed_pages INTEGER NOT NULL DEFAULT 0,
  seq INTEGER NOT NULL, lang TEXT NOT NULL, dpi INTEGER NOT NULL, force_ocr INTEGER NOT NULL);
INSERT INTO tasks VALUES ('old', 'pending', '2026-01-01T00:00:00', '2026-01-01T00:00:00', NULL,
  'scan.pdf', 1, 0, 1, 'eng', 300, 0);
CREATE TABLE work_units (job_id TEXT NOT NULL REFERENCES tasks(job_id) ON DELETE CASCADE,
  page_index INTEGER NOT NULL, state TEXT NOT NULL DEFAULT 'open', worker_id TEXT NULL,
  lease_expires_ms INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
  error TEXT NULL, PRIMARY KEY (job_id, page_index));
INSERT INTO work_units (job_id, page_index) VALUES ('old', 0), ('old', -1);
)sql";
    ASSERT_EQ(sqlite3_exec(db, old, nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  auto store = SqliteJobStore::open(file);
  ASSERT_TRUE(store) << store.error().message;
  auto job = (*store)->get_job("old");
  ASSERT_TRUE(job && *job);
  EXPECT_EQ((**job).options.engine, EngineKind::kTesseract);
  EXPECT_EQ((**job).options.ocr_existing, OcrExisting::kAuto);
  EXPECT_EQ((**job).priority, Priority::kNormal);
  // Its queue goes on under the new order, and the page's end is recorded.
  auto c = (*store)->claim_next("w", 60s, 3);
  ASSERT_TRUE(c && *c) << (c ? "nothing to claim" : c.error().message);
  EXPECT_EQ((**c).page_index, 0);
  // The columns for the page's cost were added too.
  auto done = (*store)->complete_page(**c, "w", std::nullopt, {"ocr", 12.5});
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(*done, PageOutcome::kLastPage);
}

TEST_P(JobStoreTest, DeleteRemovesTheJobAndOrphansItsClaims) {
  add_job("a", 2);
  const WorkClaim c = claim();
  auto deleted = store_->delete_job("a");
  ASSERT_TRUE(deleted) << deleted.error().message;
  EXPECT_TRUE(*deleted);

  auto gone = store_->get_job("a");
  ASSERT_TRUE(gone);
  EXPECT_FALSE(gone->has_value());
  EXPECT_EQ(complete(c), PageOutcome::kJobGone);
  auto renewed = store_->renew_lease(c, "w1", kLongLease);
  ASSERT_TRUE(renewed);
  EXPECT_FALSE(*renewed);
  auto errors = store_->page_errors("a");
  ASSERT_TRUE(errors);
  EXPECT_TRUE(errors->empty());
  expect_nothing_to_claim();  // the other page went with the job

  auto again = store_->delete_job("a");
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
  auto finish = store_->finish_job("a", JobStatus::kCompleted, std::nullopt);
  ASSERT_FALSE(finish);
  EXPECT_EQ(finish.error().code, ErrorCode::kNotFound);
}

TEST_P(JobStoreTest, ReopeningResumesTheQueue) {
  add_job("a", 3);
  EXPECT_EQ(complete(claim()), PageOutcome::kRecorded);  // a page 0 done
  claim("w1", 0ms);  // a page 1 held by a worker that dies with the process
  add_job("b", 1);
  ASSERT_TRUE(store_->finish_job("b", JobStatus::kCompleted, std::nullopt));

  reopen();
  std::this_thread::sleep_for(3ms);

  EXPECT_EQ(job("a").status, JobStatus::kProcessing);
  EXPECT_EQ(job("a").processed_pages, 1);
  EXPECT_EQ(job("b").status, JobStatus::kCompleted);
  auto unfinished = store_->count_unfinished_jobs();
  ASSERT_TRUE(unfinished);
  EXPECT_EQ(*unfinished, 1);

  const WorkClaim p1 = claim("w9");
  EXPECT_EQ(p1.job_id, "a");
  EXPECT_EQ(p1.page_index, 1);
  EXPECT_EQ(p1.attempt, 2);
  const WorkClaim p2 = claim("w9");
  EXPECT_EQ(p2.page_index, 2);
  expect_nothing_to_claim();

  // New jobs still queue behind the old ones after a restart.
  add_job("c", 1);
  auto all = store_->list_jobs(std::nullopt);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].job_id, "c");
  EXPECT_EQ(complete(p1, "w9"), PageOutcome::kRecorded);
  EXPECT_EQ(complete(p2, "w9"), PageOutcome::kLastPage);
  EXPECT_TRUE(claim().is_assembly());
  EXPECT_EQ(claim().job_id, "c");
}

TEST_P(JobStoreTest, ConcurrentWorkersNeverShareAUnit) {
  constexpr int kJobs = 4;
  constexpr int kPages = 25;
  for (int j = 0; j < kJobs; ++j) add_job("job" + std::to_string(j), kPages);

  std::mutex mutex;
  std::vector<std::pair<std::string, int>> claimed;
  std::vector<std::string> failures;
  const auto work = [&](std::string worker) {
    for (;;) {
      auto c = store_->claim_next(worker, kLongLease, kMaxAttempts);
      if (!c) {
        std::lock_guard lock(mutex);
        failures.push_back(c.error().message);
        return;
      }
      if (!c->has_value()) return;
      const WorkClaim& unit = **c;
      {
        std::lock_guard lock(mutex);
        claimed.emplace_back(unit.job_id, unit.page_index);
      }
      Status finished;
      if (unit.is_assembly()) {
        finished = store_->finish_job(unit.job_id, JobStatus::kCompleted, std::nullopt);
      } else {
        auto r = store_->complete_page(unit, worker, std::nullopt, {});
        if (!r)
          finished = std::unexpected(r.error());
        else if (*r == PageOutcome::kJobGone)
          finished = std::unexpected(Error{ErrorCode::kInternal, "gone"});
      }
      if (!finished) {
        std::lock_guard lock(mutex);
        failures.push_back(finished.error().message);
        return;
      }
    }
  };
  std::thread t1(work, "w1");
  std::thread t2(work, "w2");
  t1.join();
  t2.join();

  EXPECT_TRUE(failures.empty()) << failures.front();
  const std::set<std::pair<std::string, int>> distinct(claimed.begin(), claimed.end());
  EXPECT_EQ(distinct.size(), claimed.size()) << "a unit was handed out twice";
  // A worker stops when it finds nothing, but the other one keeps going until it finds nothing
  // too, so every page and every assembly is handed out exactly once.
  EXPECT_EQ(claimed.size(), static_cast<size_t>(kJobs * (kPages + 1)));
  auto unfinished = store_->count_unfinished_jobs();
  ASSERT_TRUE(unfinished);
  EXPECT_EQ(*unfinished, 0);
}

// Webhooks: a job with a callback_url gets its delivery in the transaction that ends it.

TEST_P(JobStoreTest, AFinishedJobWithACallbackGetsOneDeliveryDueAtOnce) {
  Job hooked = make_job("a", 1);
  hooked.callback_url = "https://hooks.example.com/docmill?token=x";
  ASSERT_TRUE(store_->create_job(hooked, first_pages(1)));
  add_job("plain", 1);
  EXPECT_EQ(job("a").callback_url, "https://hooks.example.com/docmill?token=x");
  EXPECT_FALSE(job("plain").callback_url);

  // Nothing before the job ends.
  auto before = store_->due_deliveries(now_unix_ms(), 10, 0ms);
  ASSERT_TRUE(before) << before.error().message;
  EXPECT_TRUE(before->empty());

  ASSERT_TRUE(store_->finish_job("a", JobStatus::kCompleted, std::nullopt));
  ASSERT_TRUE(store_->finish_job("plain", JobStatus::kCompleted, std::nullopt));
  // Finishing again (a late duplicate) does not add a second delivery.
  ASSERT_TRUE(store_->finish_job("a", JobStatus::kCompleted, std::nullopt));

  auto due = store_->due_deliveries(now_unix_ms(), 10, 0ms);
  ASSERT_TRUE(due) << due.error().message;
  ASSERT_EQ(due->size(), 1u);
  const WebhookDelivery& d = (*due)[0];
  EXPECT_EQ(d.job_id, "a");
  EXPECT_EQ(d.url, "https://hooks.example.com/docmill?token=x");
  EXPECT_EQ(d.attempts, 0);
  EXPECT_EQ(d.state, DeliveryState::kPending);
  EXPECT_FALSE(d.body);
  EXPECT_FALSE(d.last_error);
}

TEST_P(JobStoreTest, AJobFailedInsideTheStoreGetsItsDeliveryToo) {
  Job hooked = make_job("a", 1);
  hooked.callback_url = "https://hooks.example.com/a";
  ASSERT_TRUE(store_->create_job(hooked, first_pages(1)));
  EXPECT_EQ(complete(claim()), PageOutcome::kLastPage);
  const WorkClaim assembly = claim();
  ASSERT_TRUE(assembly.is_assembly());
  auto gone = store_->abandon_unit(assembly, "w1", "assembling the outputs crashed", false);
  ASSERT_TRUE(gone && *gone);
  EXPECT_EQ(job("a").status, JobStatus::kFailed);
  auto due = store_->due_deliveries(now_unix_ms(), 10, 0ms);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].job_id, "a");
}

TEST_P(JobStoreTest, DeliveryAttemptsAreRecordedAndComeDueInOrder) {
  for (const char* id : {"a", "b"}) {
    Job hooked = make_job(id, 1);
    hooked.callback_url = std::string("https://hooks.example.com/") + id;
    ASSERT_TRUE(store_->create_job(hooked, first_pages(1)));
    ASSERT_TRUE(store_->finish_job(id, JobStatus::kCompleted, std::nullopt));
  }
  auto due = store_->due_deliveries(now_unix_ms(), 10, 0ms);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 2u);
  const long long a = (*due)[0].job_id == "a" ? (*due)[0].id : (*due)[1].id;
  const long long b = (*due)[0].job_id == "b" ? (*due)[0].id : (*due)[1].id;

  // a fails and is put off a minute; b is delivered.
  const long long later = now_unix_ms() + 60'000;
  auto failed = store_->record_delivery_attempt(
      a,
      {.body = "{\"job\":\"a\"}", .error = "the receiver answered HTTP 500", .retry_at_ms = later});
  ASSERT_TRUE(failed && *failed);
  auto delivered = store_->record_delivery_attempt(b, {.body = "{\"job\":\"b\"}"});
  ASSERT_TRUE(delivered && *delivered);

  auto none_now = store_->due_deliveries(now_unix_ms(), 10, 0ms);
  ASSERT_TRUE(none_now);
  EXPECT_TRUE(none_now->empty());
  auto at_retry = store_->due_deliveries(later, 10, 0ms);
  ASSERT_TRUE(at_retry);
  ASSERT_EQ(at_retry->size(), 1u);
  EXPECT_EQ((*at_retry)[0].id, a);
  EXPECT_EQ((*at_retry)[0].attempts, 1);
  EXPECT_EQ((*at_retry)[0].body, "{\"job\":\"a\"}");
  EXPECT_EQ((*at_retry)[0].last_error, "the receiver answered HTTP 500");

  // The body stays the first attempt's; the last attempt gives up.
  auto given_up = store_->record_delivery_attempt(
      a, {.body = "{\"changed\":true}", .error = "no answer: Couldn't connect to server"});
  ASSERT_TRUE(given_up && *given_up);
  auto rows = store_->job_deliveries("a");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].state, DeliveryState::kGivenUp);
  EXPECT_EQ((*rows)[0].attempts, 2);
  EXPECT_EQ((*rows)[0].body, "{\"job\":\"a\"}");
  EXPECT_EQ((*rows)[0].last_error, "no answer: Couldn't connect to server");
  auto b_rows = store_->job_deliveries("b");
  ASSERT_TRUE(b_rows);
  ASSERT_EQ(b_rows->size(), 1u);
  EXPECT_EQ((*b_rows)[0].state, DeliveryState::kDelivered);
  EXPECT_FALSE((*b_rows)[0].last_error);
  auto after = store_->due_deliveries(later + 3'600'000, 10, 0ms);
  ASSERT_TRUE(after);
  EXPECT_TRUE(after->empty());
}

TEST_P(JobStoreTest, AHeldDeliveryIsLeftToItsSenderUntilTheHoldEnds) {
  Job hooked = make_job("a", 1);
  hooked.callback_url = "https://example.com/hook";
  ASSERT_TRUE(store_->create_job(hooked, first_pages(1)));
  ASSERT_TRUE(store_->finish_job("a", JobStatus::kCompleted, std::nullopt));
  const long long now = now_unix_ms();
  // One API node's sender takes it for a minute: another's, reading now, finds nothing.
  auto taken = store_->due_deliveries(now, 10, 60s);
  ASSERT_TRUE(taken) << taken.error().message;
  ASSERT_EQ(taken->size(), 1u);
  auto other = store_->due_deliveries(now, 10, 60s);
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->empty());
  // Its sender crashed without recording an attempt: due again once the hold ends.
  auto later = store_->due_deliveries(now + 60'001, 10, 0ms);
  ASSERT_TRUE(later);
  ASSERT_EQ(later->size(), 1u);
  EXPECT_EQ(later->front().attempts, 0);
}

TEST_P(JobStoreTest, APendingDeliverySurvivesReopeningAndGoesWithItsJob) {
  Job hooked = make_job("a", 1);
  hooked.callback_url = "https://hooks.example.com/a";
  ASSERT_TRUE(store_->create_job(hooked, first_pages(1)));
  ASSERT_TRUE(store_->finish_job("a", JobStatus::kCompleted, std::nullopt));
  reopen();
  auto due = store_->due_deliveries(now_unix_ms(), 10, 0ms);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].job_id, "a");
  EXPECT_EQ(job("a").callback_url, "https://hooks.example.com/a");

  auto deleted = store_->delete_job("a");
  ASSERT_TRUE(deleted && *deleted);
  auto after = store_->due_deliveries(now_unix_ms(), 10, 0ms);
  ASSERT_TRUE(after);
  EXPECT_TRUE(after->empty());
  auto recorded = store_->record_delivery_attempt((*due)[0].id, {.body = "{}"});
  ASSERT_TRUE(recorded);
  EXPECT_FALSE(*recorded);
}

TEST(SqliteJobStoreOpen, SaysWhichFileCannotBeOpened) {
  testing::TempDir dir;
  const auto file = dir / "missing-dir" / "task_status.db";
  auto store = SqliteJobStore::open(file);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kDatabase);
  EXPECT_EQ(store.error().message,
            "cannot open the job database " + file.string() + ": unable to open database file");
}

TEST(SqliteJobStoreOpen, RejectsAFileThatIsNotADatabase) {
  testing::TempDir dir;
  const auto file = dir / "task_status.db";
  std::ofstream(file) << "this is not an SQLite database, just some text that is long enough";
  auto store = SqliteJobStore::open(file);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find(file.string()), std::string::npos);
  EXPECT_NE(store.error().message.find("not a database"), std::string::npos)
      << store.error().message;
}

// The PostgreSQL store's own: other processes' work wakes a watcher, and the schema is
// versioned.

TEST_F(PostgresJobStoreTest, WorkQueuedByAnotherProcessWakesTheWatchers) {
  std::atomic<int> woken{0};
  std::jthread watch([&](std::stop_token stop) { store_->watch_for_work([&] { ++woken; }, stop); });
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(woken.load(), 0) << "woken with nothing queued";
  auto other = PostgresJobStore::open(database_->url());
  ASSERT_TRUE(other) << other.error().message;
  // The watcher may not be listening yet when the first job is created: keep queuing until it
  // hears one (each creation notifies), for a few seconds at most.
  for (int i = 0; i < 50 && woken.load() == 0; ++i) {
    ASSERT_TRUE((*other)->create_job(make_job("j" + std::to_string(i), 1), first_pages(1)));
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_GT(woken.load(), 0);
  // Stopping returns within the watcher's poll.
  const auto asked = std::chrono::steady_clock::now();
  watch.request_stop();
  watch.join();
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 2s);
}

TEST_F(PostgresJobStoreTest, OpeningAgainLeavesTheSchemaAtItsVersion) {
  add_job("a", 2);
  reopen();
  reopen();
  EXPECT_EQ(job("a").total_pages, 2);
  EXPECT_EQ(database_->query_int("SELECT version FROM docmill_schema"), postgres_schema_version());
  EXPECT_EQ(database_->query_int("SELECT COUNT(*) FROM docmill_schema"), 1);
}

TEST(PostgresJobStoreOpen, SaysWhichServerCannotBeReachedWithoutItsPassword) {
  auto store = PostgresJobStore::open("postgresql://docmill:secret@127.0.0.1:1/jobs");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kDatabase);
  EXPECT_NE(store.error().message.find("postgresql://docmill:***@127.0.0.1:1/jobs"),
            std::string::npos)
      << store.error().message;
  EXPECT_EQ(store.error().message.find("secret"), std::string::npos) << store.error().message;
}

}  // namespace
}  // namespace docmill
