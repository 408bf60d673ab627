#pragma once
// An S3-compatible bucket as the blob store. A file's key is its path under the data
// directory ("jobs/<id>/pages/3.json"), so every node finds it where it would lie on disk. The
// node's data directory keeps copies: a file is written there and put, and fetched there by
// get() before it is read. Copies are dropped by the reaper (blobs/blob_reaper.h) once their
// job has ended or gone and they have not been read for a while.
#include "blobs/blob_store.h"
#include "blobs/s3_client.h"

namespace docmill {

class S3BlobStore final : public BlobStore {
 public:
  S3BlobStore(S3Settings settings, JobPaths paths)
      : client_(std::move(settings)), paths_(std::move(paths)) {}

  Status put(const std::filesystem::path& file) override;
  Status get(const std::filesystem::path& file) override;
  Status prepare_job(std::string_view job_id) override;
  Result<std::vector<std::string>> list(const std::filesystem::path& dir) override;
  Status remove_job(std::string_view job_id) override;
  Result<std::vector<StoredJob>> stored_jobs() override;
  Status check() override { return client_.check_bucket(); }
  bool local_copies() const override { return true; }
  std::string describe() const override { return "S3 " + client_.describe(); }

 private:
  // The key of a file under the data directory; kInvalidArgument for one outside it.
  Result<std::string> key_of(const std::filesystem::path& file) const;

  S3Client client_;
  JobPaths paths_;
};

}  // namespace docmill
