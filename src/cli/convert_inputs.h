#pragma once
// What `docmill convert` was given, as documents and their output directories: one PDF file
// writes into OUT itself (as it always has); several inputs, or any directory, give each
// document OUT/<name>/, name being the file's stem, made unique in input order.
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "pipeline/batch_converter.h"
#include "pipeline/output_writer.h"

namespace docmill {

struct ConvertInputs {
  std::vector<BatchDocument> documents;
  bool single = false;  // one PDF file: OUT is its own directory
  // About inputs a person should know of: a name clash and where each went, a file given twice.
  std::vector<std::string> notes;
};

// Directories are searched recursively for *.pdf (any case), in name order; files given are
// taken whatever their name (a file that is not a PDF then fails alone). Two documents with one
// stem: the later one gets "-2" (then "-3"...), never a name another input has as its stem.
// An error when a directory cannot be read or nothing is left to convert.
Result<ConvertInputs> collect_convert_inputs(std::span<const std::string> inputs,
                                             const std::filesystem::path& out_dir);

// `--format` values (each may be a comma-separated list): md, det, json, pdf, searchable.
// None given: all.
Result<OutputSet> parse_output_set(std::span<const std::string> formats);

}  // namespace docmill
