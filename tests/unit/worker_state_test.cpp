// The worker side of docmill serve: the registry of running units, how a job ends, assembly
// from page records, and the pool on a real store and real PDFs.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <nlohmann/json.hpp>

#include "blobs/file_blob_store.h"
#include "core/files.h"
#include "core/ids.h"
#include "exec/job_assembly.h"
#include "exec/running_units.h"
#include "exec/worker_pool.h"
#include "jobs/sqlite_job_store.h"
#include "pipeline/output_writer.h"
#include "pipeline/page_result_json.h"
#include "support/pdf_factory.h"
#include "support/temp_dir.h"

namespace docmill {
namespace {

using namespace std::chrono_literals;

WorkClaim claim_of(std::string job, int page) {
  WorkClaim c;
  c.job_id = std::move(job);
  c.page_index = page;
  return c;
}

RunningUnits::ClaimFn handing_out(std::optional<WorkClaim> c) {
  return [c] { return Result<std::optional<WorkClaim>>(c); };
}

TEST(RunningUnits, RegistersWhatIsClaimedUntilTheTicketEnds) {
  RunningUnits units;
  {
    auto t = units.claim("w", handing_out(claim_of("a", 0)));
    ASSERT_TRUE(t && *t);
    EXPECT_EQ(units.size(), 1);
    EXPECT_EQ(units.snapshot().front().worker_id, "w");
    auto none = units.claim("w", handing_out(std::nullopt));
    ASSERT_TRUE(none);
    EXPECT_FALSE(*none);
  }
  EXPECT_EQ(units.size(), 0);
}

TEST(RunningUnits, CancelStopsTheJobsUnitsAndWaitsForThemToLeave) {
  RunningUnits units;
  auto a = units.claim("w1", handing_out(claim_of("a", 0)));
  auto b = units.claim("w2", handing_out(claim_of("b", 0)));
  ASSERT_TRUE(a && *a && b && *b);
  std::atomic<bool> left{false};
  std::jthread worker([&, ticket = std::move(**a)]() mutable {
    while (!ticket.stop_token().stop_requested()) std::this_thread::sleep_for(1ms);
    std::this_thread::sleep_for(50ms);  // finishing up after the stop
    left = true;
    // ~Ticket here unregisters the unit.
  });
  units.cancel_job_and_wait("a");
  EXPECT_TRUE(left);
  EXPECT_FALSE((*b)->stop_token().stop_requested()) << "another job's unit is left alone";
  EXPECT_EQ(units.size(), 1);
  units.cancel_job_and_wait("nothing-running");  // returns at once
}

TEST(RunningUnits, ClosedRefusesClaimsAndStopAllStopsEveryUnit) {
  RunningUnits units;
  auto a = units.claim("w", handing_out(claim_of("a", 1)));
  ASSERT_TRUE(a && *a);
  units.close();
  bool called = false;
  auto refused = units.claim("w", [&] {
    called = true;
    return Result<std::optional<WorkClaim>>(claim_of("b", 0));
  });
  ASSERT_TRUE(refused);
  EXPECT_FALSE(*refused);
  EXPECT_FALSE(called) << "nothing is claimed from the store once closed";
  EXPECT_FALSE((*a)->stop_token().stop_requested()) << "closing lets running units finish";
  units.stop_all();
  EXPECT_TRUE((*a)->stop_token().stop_requested());
}

TEST(JobOutcome, FailsOnlyWhenEveryPageFailed) {
  EXPECT_EQ(job_outcome({}, 3).status, JobStatus::kCompleted);
  EXPECT_FALSE(job_outcome({}, 3).error_message);

  const auto some = job_outcome({{1, "cannot draw the page"}}, 3);
  EXPECT_EQ(some.status, JobStatus::kCompleted);
  ASSERT_TRUE(some.error_message);
  EXPECT_NE(some.error_message->find("page 2: cannot draw the page"), std::string::npos);
  EXPECT_NE(some.error_message->find("1 of 3"), std::string::npos);

  const auto all = job_outcome({{0, "x"}, {1, "y"}}, 2);
  EXPECT_EQ(all.status, JobStatus::kFailed);
  EXPECT_NE(all.error_message->find("page 1: x; page 2: y"), std::string::npos);
}

TEST(JobOutcome, LongListsAreCut) {
  PageErrors errors;
  for (int i = 0; i < 100; ++i) errors.emplace_back(i, "broken");
  const auto o = job_outcome(errors, 100);
  EXPECT_NE(o.error_message->find("and 80 more"), std::string::npos);
  EXPECT_LT(o.error_message->size(), 1000u);
}

TEST(JobAssembly, WritesOutputsFromPageRecordsAndMarksGivenUpPages) {
  testing::TempDir tmp;
  JobPaths paths(tmp.path());
  const std::string id = new_job_id();
  std::filesystem::create_directories(paths.pages_dir(id));
  std::filesystem::create_directories(paths.images_dir(id));
  testing::write_bytes(paths.input_pdf(id), testing::text_pdf({{{72, 72, 12, false, "one"}},
                                                               {{72, 72, 12, false, "two"}}}));
  PageResult first;
  first.page_index = 0;
  first.width = 595;
  first.height = 842;
  first.method = ReadMethod::kTextLayer;
  first.blocks.push_back({Label::kText, {72, 60, 200, 80}, "The first page", 0, -1});
  ASSERT_TRUE(write_file_atomic(paths.page_json(id, 0), to_json(first).dump()));
  // Page 2 crashed its worker every time: no record, only the store's error.
  Job job;
  job.job_id = id;
  job.total_pages = 2;
  ASSERT_TRUE(assemble_outputs(paths, job, {{1, "page 2 stopped the worker 3 times"}}));

  auto md = read_file(paths.job_dir(id) / kMarkdownFile);
  ASSERT_TRUE(md);
  EXPECT_NE(md->find("The first page"), std::string::npos) << *md;
  EXPECT_NE(md->find("Page 2 could not be processed"), std::string::npos) << *md;
  EXPECT_TRUE(std::filesystem::exists(paths.job_dir(id) / kLayoutPdfFile));

  Job bigger = job;
  bigger.total_pages = 3;
  EXPECT_FALSE(assemble_outputs(paths, bigger, {{1, "x"}})) << "a missing record is an error";
}

// A job as the upload makes it: directory, input.pdf, rows.
std::string add_job(SqliteJobStore& store, const JobPaths& paths, const std::string& pdf, int pages,
                    ReadOptions options = {}) {
  const std::string id = new_job_id();
  std::filesystem::create_directories(paths.pages_dir(id));
  std::filesystem::create_directories(paths.images_dir(id));
  testing::write_bytes(paths.input_pdf(id), pdf);
  Job job;
  job.job_id = id;
  job.filename = "t.pdf";
  job.total_pages = pages;
  job.options = options;
  std::vector<int> indices;
  for (int i = 0; i < pages; ++i) indices.push_back(i);
  EXPECT_TRUE(store.create_job(job, indices));
  return id;
}

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 60s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return pred();
}

TEST(WorkerPool, ProcessesQueuedJobsToTheirEnd) {
  testing::TempDir tmp;
  JobPaths paths(tmp.path());
  FileBlobStore blobs(paths);
  auto store = SqliteJobStore::open(paths.database());
  ASSERT_TRUE(store);
  const std::string ok = add_job(**store, paths, testing::paper_pdf(), 1);
  const std::string two = add_job(
      **store, paths, testing::make_pdf({testing::paper_page(), testing::figure_page()}), 2);
  WorkerPool pool(**store, blobs, paths, {.workers = 2, .lease = 5s, .worker_id_prefix = "test"});
  pool.start();
  EXPECT_GE(pool.wait_ready(60s), 1);
  pool.notify_work();
  for (const auto& id : {ok, two}) {
    ASSERT_TRUE(eventually([&] {
      auto j = (*store)->get_job(id);
      return j && *j && (*j)->status == JobStatus::kCompleted;
    })) << id;
    EXPECT_TRUE(std::filesystem::exists(paths.job_dir(id) / kMarkdownFile));
    EXPECT_TRUE(std::filesystem::exists(paths.job_dir(id) / kLayoutPdfFile));
  }
  EXPECT_TRUE(std::filesystem::exists(paths.images_dir(two) / "1_0.jpg"));
  pool.stop(5s);
}

TEST(WorkerPool, CancelledJobIsLeftAndNothingWritesIntoIt) {
  testing::TempDir tmp;
  JobPaths paths(tmp.path());
  FileBlobStore blobs(paths);
  auto store = SqliteJobStore::open(paths.database());
  ASSERT_TRUE(store);
  const int pages = 12;
  const std::string id =
      add_job(**store, paths,
              testing::make_pdf(std::vector<testing::PageSpec>(pages, testing::paper_page())),
              pages, {.lang = "eng", .dpi = 200, .force_ocr = true});
  WorkerPool pool(**store, blobs, paths, {.workers = 1, .lease = 5s, .worker_id_prefix = "test"});
  pool.start();
  pool.notify_work();
  ASSERT_TRUE(eventually([&] {
    auto j = (*store)->get_job(id);
    return j && *j && (*j)->processed_pages >= 1;
  }));
  // As DELETE does it: rows, then the running units, then the files.
  ASSERT_TRUE((*store)->delete_job(id).value());
  pool.cancel_job(id);
  std::filesystem::remove_all(paths.job_dir(id));
  std::this_thread::sleep_for(300ms);
  EXPECT_FALSE(std::filesystem::exists(paths.job_dir(id)));
  EXPECT_FALSE((*store)->get_job(id).value());
  pool.stop(5s);
}

TEST(WorkerPool, StopWithoutGraceEndsARunningPage) {
  testing::TempDir tmp;
  JobPaths paths(tmp.path());
  FileBlobStore blobs(paths);
  auto store = SqliteJobStore::open(paths.database());
  ASSERT_TRUE(store);
  const std::string id = add_job(**store, paths, testing::paper_pdf(), 1,
                                 {.lang = "eng", .dpi = 400, .force_ocr = true});
  WorkerPool pool(**store, blobs, paths, {.workers = 1, .lease = 5s, .worker_id_prefix = "test"});
  pool.start();
  pool.notify_work();
  ASSERT_TRUE(eventually([&] {
    auto j = (*store)->get_job(id);
    return j && *j && (*j)->status == JobStatus::kProcessing;
  }));
  const auto started = std::chrono::steady_clock::now();
  pool.stop(0ms);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 20s);
  // The page was abandoned, not recorded: the lease hands it to the next process.
  auto j = (*store)->get_job(id);
  ASSERT_TRUE(j && *j);
  EXPECT_NE((*j)->status, JobStatus::kCompleted);
}

}  // namespace
}  // namespace docmill
