#include "cli/convert_inputs.h"

#include <algorithm>
#include <set>
#include <system_error>

#include <fmt/format.h>

namespace docmill {
namespace {

bool is_pdf_name(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  std::ranges::transform(ext, ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".pdf";
}

// The PDFs under `dir`, in path order so that names are given out the same way every run.
Result<std::vector<std::filesystem::path>> pdfs_under(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> found;
  std::error_code ec;
  std::filesystem::recursive_directory_iterator it(
      dir, std::filesystem::directory_options::skip_permission_denied, ec);
  for (; !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code type_ec;
    if (it->is_regular_file(type_ec) && is_pdf_name(it->path())) found.push_back(it->path());
  }
  if (ec)
    return fail(ErrorCode::kIo, fmt::format("cannot read {}: {}", dir.string(), ec.message()));
  std::ranges::sort(found);
  return found;
}

}  // namespace

Result<ConvertInputs> collect_convert_inputs(std::span<const std::string> inputs,
                                             const std::filesystem::path& out_dir) {
  ConvertInputs result;
  std::error_code ec;
  if (inputs.size() == 1 && !std::filesystem::is_directory(inputs[0], ec)) {
    result.single = true;
    result.documents.push_back({inputs[0], out_dir});
    return result;
  }
  std::vector<std::filesystem::path> files;
  for (const auto& input : inputs) {
    if (std::filesystem::is_directory(input, ec)) {
      auto found = pdfs_under(input);
      if (!found) return std::unexpected(found.error());
      if (found->empty()) result.notes.push_back(fmt::format("{}: no PDF in it", input));
      files.insert(files.end(), found->begin(), found->end());
    } else {
      files.emplace_back(input);
    }
  }
  // The same file twice (named twice, or also inside a directory given) is converted once.
  std::set<std::filesystem::path> seen;
  std::vector<std::filesystem::path> unique;
  for (const auto& f : files) {
    const auto key = std::filesystem::weakly_canonical(f, ec);
    if (!seen.insert(ec ? f : key).second) {
      result.notes.push_back(fmt::format("{} is given twice; converted once", f.string()));
      continue;
    }
    unique.push_back(f);
  }
  if (unique.empty()) return fail(ErrorCode::kNotFound, "no PDF to convert");

  std::set<std::string> stems;
  for (const auto& f : unique) stems.insert(f.stem().string());
  std::set<std::string> taken;
  for (const auto& f : unique) {
    const std::string stem = f.stem().string();
    std::string name = stem;
    for (int n = 2; taken.contains(name) || (name != stem && stems.contains(name)); ++n) {
      name = fmt::format("{}-{}", stem, n);
    }
    if (name != stem) {
      result.notes.push_back(fmt::format("{} has the name of an earlier input: written to {}",
                                         f.string(), (out_dir / name).string()));
    }
    taken.insert(name);
    result.documents.push_back({f, out_dir / name});
  }
  return result;
}

Result<OutputSet> parse_output_set(std::span<const std::string> formats) {
  if (formats.empty()) return OutputSet{};
  OutputSet set{false, false, false, false, false};
  for (const auto& list : formats) {
    size_t start = 0;
    while (start <= list.size()) {
      size_t end = list.find(',', start);
      if (end == std::string::npos) end = list.size();
      const std::string_view name = std::string_view(list).substr(start, end - start);
      if (name == "md") {
        set.markdown = true;
      } else if (name == "det") {
        set.markdown_det = true;
      } else if (name == "json") {
        set.pages_json = true;
      } else if (name == "pdf") {
        set.layout_pdf = true;
      } else if (name == "searchable") {
        set.searchable_pdf = true;
      } else {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("--format: '{}' is not md, det, json, pdf or searchable", name));
      }
      start = end + 1;
    }
  }
  return set;
}

}  // namespace docmill
