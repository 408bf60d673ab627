#pragma once
// Runs docmill::convert_document on PDF bytes in a temporary directory and loads what it wrote,
// for the integration tests.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/document_converter.h"
#include "support/temp_dir.h"

namespace docmill::testing {

struct Conversion {
  TempDir dir;
  std::filesystem::path input;
  std::filesystem::path out;
  Result<ConvertSummary> summary = fail(ErrorCode::kInternal, "not run");
  std::vector<ConvertProgress> progress;
  std::string markdown;      // output.md
  std::string markdown_det;  // output_det.md
  nlohmann::json pages;      // pages.json, null when missing or unparseable

  // The entry of pages.json for 0-based `page`; null when there is none.
  const nlohmann::json& page(int page) const;
};

std::unique_ptr<Conversion> convert_bytes(std::string_view pdf, const ConvertOptions& options = {});
std::unique_ptr<Conversion> convert_file(const std::filesystem::path& pdf,
                                         const ConvertOptions& options = {});

// Options for the tests: 200 dpi (enough for 10 pt text, half the work of 300) and two threads.
ConvertOptions fast_options();

// Case-insensitive substring search.
bool contains_ci(std::string_view haystack, std::string_view needle);
// Position of `needle` in `haystack` ignoring case; npos when absent.
size_t find_ci(std::string_view haystack, std::string_view needle);

}  // namespace docmill::testing
