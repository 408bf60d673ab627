// The blob stores: the S3 client against the fake S3 server (which checks every signature in
// full), the S3 store seen from two nodes with data directories of their own, and the reaper.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "blobs/blob_reaper.h"
#include "blobs/file_blob_store.h"
#include "blobs/s3_blob_store.h"
#include "blobs/s3_client.h"
#include "core/files.h"
#include "core/ids.h"
#include "jobs/sqlite_job_store.h"
#include "support/fake_s3_server.h"
#include "support/temp_dir.h"

namespace docmill {
namespace {

using namespace std::chrono_literals;
using testing::FakeS3Server;

S3Settings settings_for(const FakeS3Server& s3) {
  return {.endpoint = s3.endpoint(),
          .bucket = s3.bucket(),
          .region = s3.credentials().region,
          .access_key_id = s3.credentials().access_key,
          .secret_access_key = s3.credentials().secret_key};
}

// A file where a node writes it: its folders are made as the upload and the workers make them.
Status write_file(const std::filesystem::path& path, std::string_view bytes) {
  std::filesystem::create_directories(path.parent_path());
  return write_file_atomic(path, bytes);
}

std::string random_bytes(size_t n) {
  std::mt19937 rng(7);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xff);
  return s;
}

class S3ClientTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(s3_.start()); }

  std::filesystem::path write(const std::string& name, const std::string& bytes) {
    const auto path = dir_.path() / name;
    EXPECT_TRUE(write_file(path, bytes));
    return path;
  }

  FakeS3Server s3_;
  testing::TempDir dir_;
};

TEST_F(S3ClientTest, AFilePutIsGotBackByteForByteWithEverySignatureAccepted) {
  S3Client client(settings_for(s3_));
  const std::string bytes = random_bytes(3 << 20);
  auto put = client.put_file("jobs/j1/input.pdf", write("in.pdf", bytes));
  ASSERT_TRUE(put) << put.error().message << "\n" << s3_.last_rejection();
  EXPECT_EQ(s3_.object("jobs/j1/input.pdf"), bytes);

  const auto back = dir_.path() / "back" / "input.pdf";
  auto got = client.get_file("jobs/j1/input.pdf", back);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(read_file(back).value_or(""), bytes);
  EXPECT_EQ(s3_.rejected(), 0) << s3_.last_rejection();
}

TEST_F(S3ClientTest, KeysWithSpacesPlusAndNonAsciiAreSignedAsS3CanonicalisesThem) {
  S3Client client(settings_for(s3_));
  const std::string key = "jobs/a b+c/r\xc3\xa9sum\xc3\xa9 (1).json";
  ASSERT_TRUE(client.put_file(key, write("x.json", "{}")));
  auto listed = client.list("jobs/a b+c/");
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].key, key);
  EXPECT_TRUE(client.get_file(key, dir_.path() / "y.json"));
  EXPECT_EQ(s3_.rejected(), 0) << s3_.last_rejection();
}

TEST_F(S3ClientTest, AMissingKeyIsNotFoundAndLeavesNoFileBehind) {
  S3Client client(settings_for(s3_));
  const auto to = dir_.path() / "missing.json";
  auto got = client.get_file("jobs/nope/1.json", to);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound) << got.error().message;
  EXPECT_FALSE(std::filesystem::exists(to));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_.path()),
                          std::filesystem::directory_iterator()),
            0)
      << "no partial download is left";
}

TEST_F(S3ClientTest, ListingFollowsContinuationTokensPastAThousandKeys) {
  for (int i = 0; i < 1203; ++i) s3_.put_object(fmt::format("jobs/big/{:05}.json", i), "x");
  s3_.put_object("jobs/other/1.json", "x");
  S3Client client(settings_for(s3_));
  auto listed = client.list("jobs/big/");
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 1203u);
  EXPECT_EQ(listed->front().key, "jobs/big/00000.json");
  EXPECT_EQ(listed->back().key, "jobs/big/01202.json");
  EXPECT_GE(s3_.requests("GET"), 2) << "more than one page was asked for";
  EXPECT_EQ(s3_.rejected(), 0) << s3_.last_rejection();
}

TEST_F(S3ClientTest, SlowDownAnswersAreRetriedAndAStoreThatStaysDownIsUnavailable) {
  S3Client client(settings_for(s3_));
  const auto file = write("a.json", "{\"a\":1}");
  s3_.fail_next(2, 503);
  ASSERT_TRUE(client.put_file("k/a.json", file)) << "the third try goes through";
  EXPECT_EQ(s3_.object("k/a.json"), "{\"a\":1}");

  s3_.fail_next(3, 503);
  auto put = client.put_file("k/b.json", file);
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().code, ErrorCode::kUnavailable) << put.error().message;
  EXPECT_NE(put.error().message.find("503"), std::string::npos) << put.error().message;
}

TEST_F(S3ClientTest, WrongCredentialsAndAMissingBucketSayWhatToCheck) {
  S3Settings wrong = settings_for(s3_);
  wrong.secret_access_key = "not-the-secret";
  auto refused = S3Client(wrong).check_bucket();
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("DOCMILL_S3_SECRET_ACCESS_KEY"), std::string::npos)
      << refused.error().message;
  EXPECT_EQ(refused.error().message.find("not-the-secret"), std::string::npos)
      << "the secret is never echoed";
  EXPECT_GE(s3_.rejected(), 1);

  S3Settings other = settings_for(s3_);
  other.bucket = "no-such-bucket";
  auto missing = S3Client(other).check_bucket();
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("DOCMILL_S3_BUCKET"), std::string::npos)
      << missing.error().message;
  EXPECT_TRUE(S3Client(settings_for(s3_)).check_bucket());
}

TEST_F(S3ClientTest, AnEndpointNobodyListensOnIsUnavailableAndNamed) {
  S3Settings settings = settings_for(s3_);
  s3_.stop();
  auto put = S3Client(settings).put_file("k", write("k", "x"));
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(put.error().message.find("DOCMILL_S3_ENDPOINT"), std::string::npos)
      << put.error().message;
}

// Two nodes, each with a data directory of its own, on one bucket.
class S3BlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(s3_.start());
    a_store_.emplace(settings_for(s3_), a_);
    b_store_.emplace(settings_for(s3_), b_);
  }

  FakeS3Server s3_;
  testing::TempDir a_dir_, b_dir_;
  JobPaths a_{a_dir_.path()}, b_{b_dir_.path()};
  std::optional<S3BlobStore> a_store_, b_store_;
  S3BlobStore& node_a() { return *a_store_; }
  S3BlobStore& node_b() { return *b_store_; }
};

TEST_F(S3BlobStoreTest, AFileOneNodePutsIsReadByAnotherFromItsPlaceInTheDataDirectory) {
  const std::string id = new_job_id();
  ASSERT_TRUE(write_file(a_.input_pdf(id), "%PDF-1.7 a"));
  ASSERT_TRUE(write_file(a_.page_json(id, 0), "{}"));
  ASSERT_TRUE(write_file(a_.page_json(id, 1), "{}"));
  ASSERT_TRUE(node_a().put(a_.input_pdf(id)));
  ASSERT_TRUE(node_a().put(a_.page_json(id, 0)));
  ASSERT_TRUE(node_a().put(a_.page_json(id, 1)));
  EXPECT_TRUE(s3_.object(fmt::format("jobs/{}/input.pdf", id)));

  EXPECT_FALSE(std::filesystem::exists(b_.input_pdf(id)));
  ASSERT_TRUE(node_b().get(b_.input_pdf(id)));
  EXPECT_EQ(read_file(b_.input_pdf(id)).value_or(""), "%PDF-1.7 a");
  auto pages = node_b().list(b_.pages_dir(id));
  ASSERT_TRUE(pages) << pages.error().message;
  EXPECT_EQ(*pages, (std::vector<std::string>{"0.json", "1.json"}));

  const int gets = s3_.requests("GET");
  ASSERT_TRUE(node_b().get(b_.input_pdf(id)));
  EXPECT_EQ(s3_.requests("GET"), gets) << "a copy this node holds is not fetched again";

  auto missing = node_b().get(b_.job_dir(id) / "output.md");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(s3_.rejected(), 0) << s3_.last_rejection();
}

TEST_F(S3BlobStoreTest, RemovingAJobTakesItsObjectsAndThisNodesCopyButNoOtherJobs) {
  const std::string gone = new_job_id(), kept = new_job_id();
  for (const auto& id : {gone, kept}) {
    ASSERT_TRUE(write_file(a_.input_pdf(id), "%PDF-"));
    ASSERT_TRUE(node_a().put(a_.input_pdf(id)));
  }
  ASSERT_TRUE(node_a().remove_job(gone));
  EXPECT_EQ(s3_.keys(), (std::vector<std::string>{fmt::format("jobs/{}/input.pdf", kept)}));
  EXPECT_FALSE(std::filesystem::exists(a_.job_dir(gone)));
  EXPECT_TRUE(std::filesystem::exists(a_.job_dir(kept)));
}

TEST_F(S3BlobStoreTest, AFileOutsideTheDataDirectoryIsRefused) {
  auto put = node_a().put(b_.input_pdf("x"));
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().code, ErrorCode::kInvalidArgument);
}

TEST(FileBlobStoreTest, TheDataDirectoryIsTheStore) {
  testing::TempDir dir;
  JobPaths paths(dir.path());
  FileBlobStore blobs(paths);
  const std::string id = new_job_id();
  EXPECT_EQ(blobs.get(paths.input_pdf(id)).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(write_file(paths.input_pdf(id), "%PDF-"));
  EXPECT_TRUE(blobs.put(paths.input_pdf(id)));
  EXPECT_TRUE(blobs.get(paths.input_pdf(id)));
  EXPECT_EQ(blobs.list(paths.job_dir(id)).value(), std::vector<std::string>{"input.pdf"});
  EXPECT_TRUE(blobs.list(paths.images_dir(id)).value().empty()) << "an absent folder is empty";
  ASSERT_EQ(blobs.stored_jobs().value().size(), 1u);
  ASSERT_TRUE(blobs.remove_job(id));
  EXPECT_FALSE(std::filesystem::exists(paths.job_dir(id)));
}

class BlobReaperTest : public S3BlobStoreTest {
 protected:
  void SetUp() override {
    S3BlobStoreTest::SetUp();
    auto store = SqliteJobStore::open(a_dir_.path() / "jobs.db");
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }

  // A job with one page whose input node A wrote and put; ended as `end` when given.
  std::string add_job(std::optional<JobStatus> end) {
    Job job;
    job.job_id = new_job_id();
    job.filename = "a.pdf";
    job.total_pages = 1;
    const int pages[] = {0};
    EXPECT_TRUE(store_->create_job(job, pages));
    if (end) {
      EXPECT_TRUE(store_->finish_job(job.job_id, *end, std::nullopt));
    }
    put_files(job.job_id);
    return job.job_id;
  }
  void put_files(const std::string& id) {
    EXPECT_TRUE(write_file(a_.input_pdf(id), "%PDF-"));
    EXPECT_TRUE(node_a().put(a_.input_pdf(id)));
  }
  bool stored(const std::string& id) {
    return s3_.object(fmt::format("jobs/{}/input.pdf", id)).has_value();
  }

  std::unique_ptr<SqliteJobStore> store_;
};

TEST_F(BlobReaperTest, ObjectsOfJobsWithoutARowGoOnceOldAndEverythingElseStays) {
  const std::string running = add_job(std::nullopt);
  const std::string done = add_job(JobStatus::kCompleted);
  const std::string orphan = new_job_id();  // its node died between the rows and the files
  put_files(orphan);
  s3_.age_objects(2h);
  const std::string uploading = new_job_id();  // its row comes a moment after its files
  put_files(uploading);

  BlobReaper reaper(*store_, node_a(), a_);
  auto sweep = reaper.sweep_once(std::chrono::system_clock::now());
  ASSERT_TRUE(sweep) << sweep.error().message;
  EXPECT_EQ(sweep->jobs_removed, 1);
  EXPECT_FALSE(stored(orphan));
  EXPECT_TRUE(stored(uploading));
  EXPECT_TRUE(stored(running));
  EXPECT_TRUE(stored(done));
}

TEST_F(BlobReaperTest, ThisNodesCopiesOfEndedJobsAreDroppedOnceUnusedAndFetchedAgainWhenAsked) {
  const std::string running = add_job(std::nullopt);
  const std::string done = add_job(JobStatus::kCompleted);
  const auto long_ago = std::filesystem::file_time_type::clock::now() - 1h;
  for (const auto& id : {running, done}) std::filesystem::last_write_time(a_.job_dir(id), long_ago);

  BlobReaper workers_reaper(*store_, node_a(), a_, {.reap_store = false});
  auto sweep = workers_reaper.sweep_once(std::chrono::system_clock::now());
  ASSERT_TRUE(sweep) << sweep.error().message;
  EXPECT_EQ(sweep->copies_dropped, 1);
  EXPECT_EQ(sweep->jobs_removed, 0);
  EXPECT_FALSE(std::filesystem::exists(a_.job_dir(done)));
  EXPECT_TRUE(std::filesystem::exists(a_.job_dir(running))) << "a running job's copy stays";
  EXPECT_TRUE(stored(done)) << "only the copy goes, not the object";

  ASSERT_TRUE(node_a().get(a_.input_pdf(done)));
  EXPECT_TRUE(std::filesystem::exists(a_.input_pdf(done)));
}

TEST(BlobReaperFileTest, TheDataDirectoryIsNeverTreatedAsCopies) {
  testing::TempDir dir;
  JobPaths paths(dir.path());
  FileBlobStore blobs(paths);
  auto store = SqliteJobStore::open(paths.database());
  ASSERT_TRUE(store);
  Job job;
  job.job_id = new_job_id();
  job.filename = "a.pdf";
  job.total_pages = 1;
  const int pages[] = {0};
  ASSERT_TRUE((*store)->create_job(job, pages));
  ASSERT_TRUE((*store)->finish_job(job.job_id, JobStatus::kCompleted, std::nullopt));
  ASSERT_TRUE(write_file(paths.input_pdf(job.job_id), "%PDF-"));
  std::filesystem::last_write_time(paths.job_dir(job.job_id),
                                   std::filesystem::file_time_type::clock::now() - 24h);

  BlobReaper reaper(**store, blobs, paths);
  auto sweep = reaper.sweep_once(std::chrono::system_clock::now());
  ASSERT_TRUE(sweep) << sweep.error().message;
  EXPECT_EQ(sweep->copies_dropped + sweep->jobs_removed, 0);
  EXPECT_TRUE(std::filesystem::exists(paths.input_pdf(job.job_id)));
}

// DOCMILL_TEST_S3_URL=http(s)://KEY:SECRET@HOST[:PORT]/BUCKET[?region=REGION]: the client
// against a real object store (MinIO, AWS, ...), under a prefix of its own that it removes.
std::optional<S3Settings> real_s3_from_env() {
  const char* url = std::getenv("DOCMILL_TEST_S3_URL");
  if (url == nullptr || *url == '\0') return std::nullopt;
  std::string s = url;
  const auto scheme_end = s.find("://");
  const auto at = s.find('@');
  if (scheme_end == std::string::npos || at == std::string::npos) return std::nullopt;
  const std::string credentials = s.substr(scheme_end + 3, at - scheme_end - 3);
  const auto colon = credentials.find(':');
  const auto slash = s.find('/', at);
  if (colon == std::string::npos || slash == std::string::npos) return std::nullopt;
  S3Settings out;
  out.endpoint = s.substr(0, scheme_end + 3) + s.substr(at + 1, slash - at - 1);
  out.access_key_id = credentials.substr(0, colon);
  out.secret_access_key = credentials.substr(colon + 1);
  std::string rest = s.substr(slash + 1);
  if (const auto q = rest.find("?region="); q != std::string::npos) {
    out.region = rest.substr(q + 8);
    rest.resize(q);
  }
  out.bucket = rest;
  return out;
}

TEST(RealObjectStore, PutGetListAndRemoveUnderAPrefixOfItsOwn) {
  const auto settings = real_s3_from_env();
  if (!settings) {
    GTEST_SKIP() << "DOCMILL_TEST_S3_URL is not set (http://KEY:SECRET@HOST:PORT/BUCKET"
                    "?region=REGION): the fake S3 server's tests stand in for it";
  }
  testing::TempDir dir;
  S3Client client(*settings);
  ASSERT_TRUE(client.check_bucket()) << client.check_bucket().error().message;
  const std::string prefix = "docmill-test-" + new_job_id() + "/";
  const std::string bytes = random_bytes(5 << 20);
  const auto file = dir.path() / "in.bin";
  ASSERT_TRUE(write_file(file, bytes));
  for (const char* name : {"a b+c.bin", "pages/0.json", "pages/1.json"}) {
    auto put = client.put_file(prefix + name, file);
    ASSERT_TRUE(put) << put.error().message;
  }
  auto got = client.get_file(prefix + "a b+c.bin", dir.path() / "out.bin");
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(read_file(dir.path() / "out.bin").value_or(""), bytes);
  auto listed = client.list(prefix + "pages/");
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(listed->size(), 2u);
  auto all = client.list(prefix);
  ASSERT_TRUE(all) << all.error().message;
  for (const auto& object : *all) EXPECT_TRUE(client.remove(object.key));
  EXPECT_TRUE(client.list(prefix).value_or(std::vector<S3Object>{{}}).empty());
}

}  // namespace
}  // namespace docmill
