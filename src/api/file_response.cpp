#include "api/file_response.h"

#include <fstream>
#include <memory>
#include <vector>

#include <fmt/format.h>

namespace docmill {

Status send_file(httplib::Response& res, const std::filesystem::path& file,
                 const std::string& content_type) {
  // Opened now: the stream keeps the file readable even if the job is deleted mid-transfer.
  auto in = std::make_shared<std::ifstream>(file, std::ios::binary);
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (!*in || ec) {
    return fail(ErrorCode::kNotFound, fmt::format("{} not found", file.filename().string()));
  }
  res.set_content_provider(static_cast<size_t>(size), content_type,
                           [in](size_t offset, size_t length, httplib::DataSink& sink) {
                             constexpr size_t kChunk = 64 * 1024;
                             std::vector<char> buf(std::min(length, kChunk));
                             in->seekg(static_cast<std::streamoff>(offset));
                             in->read(buf.data(), static_cast<std::streamsize>(buf.size()));
                             const auto got = in->gcount();
                             if (got <= 0) return false;
                             return sink.write(buf.data(), static_cast<size_t>(got));
                           });
  return {};
}

}  // namespace docmill
