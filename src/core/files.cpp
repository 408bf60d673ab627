#include "core/files.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <system_error>
#include <thread>

#include <fmt/format.h>

namespace docmill {

Status write_file_atomic(const std::filesystem::path& path, std::string_view content) {
  // A name of this process and thread: two workers that both took over a page (one of them
  // after its lease ran out) must not write into each other's temporary file.
  std::filesystem::path tmp = path;
  tmp += fmt::format(".{}.{}.tmp", getpid(),
                     std::hash<std::thread::id>{}(std::this_thread::get_id()) % 1'000'000);
  std::error_code ec;
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      return fail(ErrorCode::kIo,
                  fmt::format("cannot write {}: {}", tmp.string(), std::strerror(errno)));
    }
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      const std::string why = std::strerror(errno);
      out.close();
      std::filesystem::remove(tmp, ec);  // never leave half a file behind
      return fail(ErrorCode::kIo, fmt::format("cannot write {}: {}", path.string(), why));
    }
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return fail(ErrorCode::kIo, fmt::format("cannot write {}: {}", path.string(), ec.message()));
  }
  return {};
}

Result<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kNotFound, fmt::format("cannot read {}", path.string()));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace docmill
