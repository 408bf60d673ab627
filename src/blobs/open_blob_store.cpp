#include "blobs/blob_store.h"
#include "blobs/file_blob_store.h"
#include "blobs/s3_blob_store.h"

namespace docmill {

std::unique_ptr<BlobStore> open_blob_store(const S3Settings& s3, const JobPaths& paths) {
  if (s3.configured()) return std::make_unique<S3BlobStore>(s3, paths);
  return std::make_unique<FileBlobStore>(paths);
}

}  // namespace docmill
