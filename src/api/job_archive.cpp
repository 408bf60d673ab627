#include "api/job_archive.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "pipeline/output_writer.h"
#include "render/image_names.h"

namespace docmill {
namespace {

constexpr size_t kChunk = 64 * 1024;

Result<ArchiveFile> archive_file(std::string name, std::filesystem::path path, ZipMethod method) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return fail(ErrorCode::kNotFound, fmt::format("{} not found", name));
  const auto written = std::filesystem::last_write_time(path, ec);
  std::time_t modified = 0;
  if (!ec) {
    modified = std::chrono::system_clock::to_time_t(std::chrono::file_clock::to_sys(written));
  }
  return ArchiveFile{std::move(name), std::move(path), method, size, modified};
}

// The zip being sent: which file it is in, and the open file. Each step writes one piece.
class ArchiveStream {
 public:
  explicit ArchiveStream(std::vector<ArchiveFile> files)
      : files_(std::move(files)), zip_([this](std::string_view bytes) {
          return sink_ != nullptr && sink_->write(bytes.data(), bytes.size());
        }) {}

  // Writes the next piece into `sink`: an entry's header, 64 KiB of its file, its end, or the
  // central directory. True while there is more to write.
  Result<bool> step(httplib::DataSink& sink) {
    sink_ = &sink;
    if (next_ == files_.size()) {
      if (auto ok = zip_.finish(); !ok) return std::unexpected(ok.error());
      return false;
    }
    const ArchiveFile& f = files_[next_];
    if (!in_) {
      in_.emplace(f.path, std::ios::binary);
      if (!*in_) return fail(ErrorCode::kNotFound, fmt::format("{} is gone", f.name));
      if (auto ok = zip_.begin(f.name, f.method, f.size, f.modified); !ok) {
        return std::unexpected(ok.error());
      }
      return true;
    }
    in_->read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    const auto got = in_->gcount();
    if (got > 0) {
      if (auto ok = zip_.write(std::string_view(buffer_.data(), static_cast<size_t>(got))); !ok) {
        return std::unexpected(ok.error());
      }
      return true;
    }
    if (in_->bad()) return fail(ErrorCode::kIo, fmt::format("cannot read {}", f.name));
    in_.reset();
    ++next_;
    if (auto ok = zip_.end(); !ok) return std::unexpected(ok.error());
    return true;
  }

 private:
  std::vector<ArchiveFile> files_;
  size_t next_ = 0;
  std::optional<std::ifstream> in_;  // the file of entry next_, once begun
  std::string buffer_ = std::string(kChunk, '\0');
  httplib::DataSink* sink_ = nullptr;
  ZipWriter zip_;
};

}  // namespace

Result<std::vector<ArchiveFile>> job_archive_files(const JobPaths& paths, BlobStore& blobs,
                                                   std::string_view job_id) {
  const auto dir = paths.job_dir(job_id);
  // A file the store has no copy of is left for archive_file() to name as missing.
  const auto fetch = [&](const std::filesystem::path& file) -> Status {
    auto fetched = blobs.get(file);
    if (!fetched && fetched.error().code != ErrorCode::kNotFound) return fetched;
    return {};
  };
  std::vector<ArchiveFile> files;
  const std::pair<const char*, ZipMethod> documents[] = {
      {kMarkdownFile, ZipMethod::kDeflated},
      {kMarkdownDetFile, ZipMethod::kDeflated},
      {kLayoutPdfFile, ZipMethod::kStored},
  };
  for (const auto& [name, method] : documents) {
    if (auto ok = fetch(dir / name); !ok) return std::unexpected(ok.error());
    auto f = archive_file(name, dir / name, method);
    if (!f) return std::unexpected(f.error());
    files.push_back(std::move(*f));
  }
  // searchable.pdf may be missing (it could not be written, and the job says why; or the job
  // is older than it): the archive has what there is.
  if (auto ok = fetch(dir / kSearchablePdfFile); !ok) return std::unexpected(ok.error());
  if (auto f = archive_file(kSearchablePdfFile, dir / kSearchablePdfFile, ZipMethod::kStored)) {
    files.push_back(std::move(*f));
  }
  auto stored = blobs.list(paths.images_dir(job_id));
  if (!stored) return std::unexpected(stored.error());
  for (const auto& name : image_names_in_order(std::move(*stored))) {
    if (auto ok = fetch(paths.images_dir(job_id) / name); !ok) return std::unexpected(ok.error());
    auto f = archive_file(fmt::format("{}/{}", kImagesDir, name), paths.images_dir(job_id) / name,
                          ZipMethod::kStored);
    if (!f) return std::unexpected(f.error());
    files.push_back(std::move(*f));
  }
  return files;
}

void send_archive(httplib::Response& res, std::vector<ArchiveFile> files) {
  auto stream = std::make_shared<ArchiveStream>(std::move(files));
  res.set_chunked_content_provider("application/zip", [stream](size_t, httplib::DataSink& sink) {
    auto more = stream->step(sink);
    if (!more) {
      spdlog::info("archive cut short: {}", more.error().message);
      return false;
    }
    if (!*more) sink.done();
    return true;
  });
}

}  // namespace docmill
