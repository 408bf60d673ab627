#include "app/retention.h"

#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "blobs/file_blob_store.h"
#include "core/clock.h"
#include "jobs/sqlite_job_store.h"
#include "support/temp_dir.h"

namespace docmill {
namespace {

using namespace std::chrono_literals;

// Records which jobs the sweep asked to cancel; nothing runs in these tests.
class RecordingWorkers final : public WorkControl {
 public:
  void notify_work() override {}
  void cancel_job(std::string_view job_id) override { cancelled.emplace_back(job_id); }
  int ready_workers() const override { return 1; }
  WorkerOccupancy occupancy() const override { return {.busy = 0, .idle = 1}; }
  std::vector<std::string> cancelled;
};

class RetentionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteJobStore::open(paths_.database());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }

  // A job with one page and a file in its directory, ended as `status` (or left pending).
  void add_job(const std::string& id, std::optional<JobStatus> end) {
    Job job;
    job.job_id = id;
    job.filename = "a.pdf";
    job.total_pages = 1;
    const int pages[] = {0};
    ASSERT_TRUE(store_->create_job(job, pages));
    std::filesystem::create_directories(paths_.job_dir(id));
    std::ofstream(paths_.input_pdf(id)) << "%PDF-";
    if (end) {
      ASSERT_TRUE(store_->finish_job(id, *end, std::nullopt));
    }
  }

  bool exists(const std::string& id) {
    auto job = store_->get_job(id);
    EXPECT_TRUE(job);
    return job && job->has_value();
  }

  testing::TempDir dir_;
  JobPaths paths_{dir_.path()};
  FileBlobStore blobs_{paths_};
  std::unique_ptr<SqliteJobStore> store_;
  RecordingWorkers workers_;
};

TEST_F(RetentionTest, FinishedJobsOlderThanTheCutoffGoWithTheirFilesOthersStay) {
  add_job("done", JobStatus::kCompleted);
  add_job("bad", JobStatus::kFailed);
  add_job("waiting", std::nullopt);
  // Everything above was last updated now: a cutoff in the past keeps it all.
  auto kept =
      remove_finished_jobs_before(*store_, workers_, blobs_, std::chrono::system_clock::now() - 1h);
  ASSERT_TRUE(kept) << kept.error().message;
  EXPECT_EQ(*kept, 0);

  auto removed =
      remove_finished_jobs_before(*store_, workers_, blobs_, std::chrono::system_clock::now() + 1h);
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_EQ(*removed, 2);
  EXPECT_FALSE(exists("done"));
  EXPECT_FALSE(exists("bad"));
  EXPECT_FALSE(std::filesystem::exists(paths_.job_dir("done")));
  EXPECT_FALSE(std::filesystem::exists(paths_.job_dir("bad")));
  // A job still waiting is never removed, however old.
  EXPECT_TRUE(exists("waiting"));
  EXPECT_TRUE(std::filesystem::exists(paths_.input_pdf("waiting")));
  EXPECT_EQ(workers_.cancelled, (std::vector<std::string>{"done", "bad"}));
}

}  // namespace
}  // namespace docmill
