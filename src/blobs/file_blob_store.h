#pragma once
// The data directory as the blob store: on one machine, or on a mount every node shares (NFS
// or similar). Files are already where every node reads them once written (write_file_atomic
// writes a temporary name, fsyncs and renames), so put() and get() only check.
#include "blobs/blob_store.h"

namespace docmill {

class FileBlobStore final : public BlobStore {
 public:
  explicit FileBlobStore(JobPaths paths) : paths_(std::move(paths)) {}

  Status put(const std::filesystem::path& file) override;
  Status get(const std::filesystem::path& file) override;
  Status prepare_job(std::string_view) override { return {}; }
  Result<std::vector<std::string>> list(const std::filesystem::path& dir) override;
  Status remove_job(std::string_view job_id) override;
  Result<std::vector<StoredJob>> stored_jobs() override;
  Status check() override { return {}; }
  bool local_copies() const override { return false; }
  std::string describe() const override;

 private:
  JobPaths paths_;
};

// The regular files directly in `dir` that are not temporaries, sorted; an absent `dir` has
// none.
Result<std::vector<std::string>> list_files(const std::filesystem::path& dir);

}  // namespace docmill
