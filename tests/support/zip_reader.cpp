#include "support/zip_reader.h"

#include <cstdlib>

#include <fmt/format.h>

#include "core/files.h"
#include "support/temp_dir.h"

namespace docmill::testing {
namespace {

// Lists "method size name" per entry and extracts each to DIR/<index>.
constexpr const char* kScript = R"(import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
bad = z.testzip()
if bad:
    sys.exit('bad CRC: ' + bad)
for n, i in enumerate(z.infolist()):
    print(i.compress_type, i.file_size, i.filename)
    open(f'{sys.argv[2]}/{n}', 'wb').write(z.read(i))
)";

}  // namespace

std::optional<std::vector<ZipEntryRead>> read_zip(const std::string& archive, std::string* why) {
  TempDir tmp;
  const auto zip = tmp / "archive.zip";
  const auto script = tmp / "read_zip.py";
  const auto listing = tmp / "listing.txt";
  std::filesystem::create_directory(tmp / "entries");
  if (!write_file_atomic(zip, archive) || !write_file_atomic(script, kScript)) return std::nullopt;
  const std::string cmd = fmt::format("python3 '{}' '{}' '{}' > '{}' 2>&1", script.string(),
                                      zip.string(), (tmp / "entries").string(), listing.string());
  const int rc = std::system(cmd.c_str());
  const std::string out = read_file(listing).value_or("");
  if (rc != 0) {
    if (why != nullptr) *why = out;
    return std::nullopt;
  }
  std::vector<ZipEntryRead> entries;
  size_t start = 0;
  for (size_t end; (end = out.find('\n', start)) != std::string::npos; start = end + 1) {
    const std::string line = out.substr(start, end - start);
    const auto sp1 = line.find(' ');
    const auto sp2 = line.find(' ', sp1 + 1);
    ZipEntryRead e;
    e.method = std::stoi(line.substr(0, sp1));
    e.name = line.substr(sp2 + 1);
    e.data = read_file(tmp / "entries" / std::to_string(entries.size())).value_or("");
    entries.push_back(std::move(e));
  }
  return entries;
}

bool have_unzip() {
  return std::system("command -v unzip > /dev/null 2>&1") == 0;
}

bool unzip_test_passes(const std::string& archive) {
  TempDir tmp;
  const auto zip = tmp / "archive.zip";
  if (!write_file_atomic(zip, archive)) return false;
  return std::system(fmt::format("unzip -tq '{}' > /dev/null 2>&1", zip.string()).c_str()) == 0;
}

}  // namespace docmill::testing
