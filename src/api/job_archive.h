#pragma once
// GET /result/{job_id}/archive: a completed job's outputs as one zip, made while it is sent
// (core/zip_writer), a piece of one file per step of httplib's chunked content provider, so
// memory stays bounded however large layout.pdf is. The archive holds what the result
// endpoints serve, under the same names: output.md, output_det.md, layout.pdf, searchable.pdf
// (when it was written) and images/<page>_<n>.jpg; not the uploaded input or the per-page
// records workers hand on.
#include <httplib.h>

#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "blobs/blob_store.h"
#include "blobs/job_paths.h"
#include "core/error.h"
#include "core/zip_writer.h"

namespace docmill {

struct ArchiveFile {
  std::string name;  // in the archive
  std::filesystem::path path;
  ZipMethod method = ZipMethod::kStored;
  std::uint64_t size = 0;
  std::time_t modified = 0;
};

// The files of a completed job's archive, in archive order; kNotFound naming a missing output.
// Each is fetched from the blob store first when this node has no copy.
Result<std::vector<ArchiveFile>> job_archive_files(const JobPaths& paths, BlobStore& blobs,
                                                   std::string_view job_id);

// Sends `files` as a zip (application/zip, chunked). A file that cannot be read once the answer
// has begun (the job deleted meanwhile) cuts the transfer, which the client sees as an error.
void send_archive(httplib::Response& res, std::vector<ArchiveFile> files);

}  // namespace docmill
