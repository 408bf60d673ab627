#include "support/temp_dir.h"

#include <stdlib.h>

#include <string>
#include <system_error>

namespace docmill::testing {

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "docmill-test-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) std::abort();
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace docmill::testing
