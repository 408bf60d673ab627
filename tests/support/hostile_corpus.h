#pragma once
// The project's own corpus of broken and hostile PDFs (issue 7): every file is made in code, so
// the suite needs no fixtures, and each comes with the outcome a user should get from docmill.
// The convert and serve tests run all of them; tests/tools/write_hostile_corpus writes them to a
// directory (with expected.tsv) to seed the fuzzer.
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace docmill::testing {

// What docmill must make of a file, in the terms of both front ends.
enum class HostileOutcome {
  // Nothing in it can be read: serve answers the upload with a 4xx JSON error; convert exits 1
  // with exactly one line on stderr.
  kRefused,
  // It opens, but no page can be read: the job fails with an error_message; convert exits 3 with
  // every page marked failed.
  kFailed,
  // Some pages are lost or damaged: the job completes and its error_message names them; convert
  // exits 3 and marks exactly those pages failed.
  kDamagedPagesNamed,
  // Everything in it that can be read is read: the job completes without error_message;
  // convert exits 0.
  kConverted,
};

std::string_view to_string(HostileOutcome outcome);

struct HostileCase {
  std::string name;      // file name without ".pdf": lower case, digits and '_' (a test name)
  std::string category;  // the kind of damage, for the corpus table
  HostileOutcome expected = HostileOutcome::kConverted;
  // Substrings (case-insensitive) that the reason must contain where the wording is stable:
  // convert's one stderr line (kRefused), and serve's JSON error (kRefused) or error_message
  // (kFailed). Empty: not checked.
  std::string convert_reason;
  std::string serve_reason;
  // kDamagedPagesNamed: the 1-based pages that are lost; exactly these fail and are named.
  std::vector<int> damaged_pages;
  // Pages in the outputs when the file is read (kFailed, kDamagedPagesNamed, kConverted); 0: not
  // checked.
  int pages = 0;
  // Why this outcome is the one a user wants (and anything a test runner should know).
  std::string why;
  // Under ASan+UBSan this case does not fit the suite's time budget; `why` says why.
  bool slow_under_sanitizers = false;
  // The file's bytes; nullopt when a tool it needs (qpdf, for the encrypted cases) is missing.
  std::function<std::optional<std::string>()> make;
};

// GoogleTest prints a case by its name (a parameter of the corpus tests).
void PrintTo(const HostileCase& c, std::ostream* os);

// Every case, in a stable order. Cheap: the bytes are made only when `make` is called.
std::vector<HostileCase> hostile_corpus();

// expected.tsv: a header line, then one line per case (tab-separated, no tabs inside fields):
// name, category, expected, convert_reason, serve_reason, damaged_pages ("2,3"), pages, why.
std::string expected_tsv_header();
std::string expected_tsv_line(const HostileCase& c);

// True when `text` names 1-based page `page` the way docmill lists failed pages ("page 3: ...",
// "pages 2, 3 and 5", "pages 2-4"), and not merely as a digit of another number (13, 30).
bool names_page(std::string_view text, int page);

}  // namespace docmill::testing
