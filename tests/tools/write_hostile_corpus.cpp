// write_hostile_corpus DIR: writes every case of the hostile corpus as DIR/<name>.pdf and the
// expected outcomes as DIR/expected.tsv, e.g. to seed the fuzzer or to try a case by hand.
#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "support/hostile_corpus.h"
#include "support/pdf_factory.h"

int main(int argc, char** argv) {
  using namespace docmill::testing;
  if (argc != 2) {
    fmt::print(stderr, "usage: {} DIR\n", argc > 0 ? argv[0] : "write_hostile_corpus");
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  try {
    std::filesystem::create_directories(dir);
    std::string tsv = expected_tsv_header() + "\n";
    int written = 0, skipped = 0;
    for (const auto& c : hostile_corpus()) {
      const auto bytes = c.make();
      if (!bytes) {
        // Only the encrypted cases need a tool (qpdf); the rest of the corpus is still useful.
        fmt::print(stderr, "skipped {}: qpdf is not installed\n", c.name);
        ++skipped;
        continue;
      }
      write_bytes(dir / (c.name + ".pdf"), *bytes);
      tsv += expected_tsv_line(c) + "\n";
      ++written;
    }
    write_bytes(dir / "expected.tsv", tsv);
    fmt::print(stderr, "{} files and expected.tsv written to {}{}\n", written, dir.string(),
               skipped > 0 ? fmt::format(" ({} skipped)", skipped) : "");
    return 0;
  } catch (const std::exception& e) {
    fmt::print(stderr, "write_hostile_corpus: {}\n", e.what());
    return 1;
  }
}
