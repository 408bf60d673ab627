#pragma once
// A zip archive read back by another implementation, Python's zipfile (python3 is on every
// Debian): what docmill's zip writer made must open there.
#include <optional>
#include <string>
#include <vector>

namespace docmill::testing {

struct ZipEntryRead {
  std::string name;
  int method = -1;  // 0 stored, 8 deflated
  std::string data;
};

// The entries of `archive` in order, after zipfile's testzip() checked every CRC; nullopt (with
// Python's message in `why`) when it does not open or a CRC is wrong.
std::optional<std::vector<ZipEntryRead>> read_zip(const std::string& archive,
                                                  std::string* why = nullptr);

// True when Info-ZIP's `unzip -t` finds no error (false too when unzip is not installed).
bool unzip_test_passes(const std::string& archive);
bool have_unzip();

}  // namespace docmill::testing
