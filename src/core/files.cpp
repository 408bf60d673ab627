#include "core/files.h"

#include <fcntl.h>
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
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return fail(ErrorCode::kIo,
                fmt::format("cannot write {}: {}", tmp.string(), std::strerror(errno)));
  }
  const auto give_up = [&](int err) {
    ::close(fd);
    std::filesystem::remove(tmp, ec);  // never leave half a file behind
    return fail(ErrorCode::kIo,
                fmt::format("cannot write {}: {}", path.string(), std::strerror(err)));
  };
  for (size_t done = 0; done < content.size();) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return give_up(errno);
    done += static_cast<size_t>(n);
  }
  // On disk before the rename makes it visible: a crash (or another machine reading the shared
  // data directory) never sees the new name with old or missing bytes.
  if (::fsync(fd) != 0) return give_up(errno);
  if (::close(fd) != 0) {
    std::filesystem::remove(tmp, ec);
    return fail(ErrorCode::kIo,
                fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
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
