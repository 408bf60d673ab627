#include "render/image_names.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <utility>

#include <fmt/format.h>

namespace docmill {
namespace {

// Parses "<page>_<idx>.jpg"; nullopt for any other name.
std::optional<std::pair<long, long>> parse_image_name(std::string_view name) {
  constexpr std::string_view kExt = ".jpg";
  if (name.size() <= kExt.size() || !name.ends_with(kExt)) return std::nullopt;
  name.remove_suffix(kExt.size());
  const auto sep = name.find('_');
  if (sep == std::string_view::npos) return std::nullopt;
  const auto number = [](std::string_view s) -> std::optional<long> {
    if (s.empty() || s.size() > 9) return std::nullopt;
    long v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
    return v;
  };
  // from_chars accepts a leading '-'; the pipeline never writes one.
  if (name.find('-') != std::string_view::npos) return std::nullopt;
  auto page = number(name.substr(0, sep));
  auto idx = number(name.substr(sep + 1));
  if (!page || !idx) return std::nullopt;
  return std::pair{*page, *idx};
}

}  // namespace

bool is_image_name(std::string_view name) {
  return parse_image_name(name).has_value();
}

std::vector<std::string> image_names_in_order(std::vector<std::string> names) {
  std::vector<std::pair<std::pair<long, long>, std::string>> found;
  for (auto& name : names) {
    if (auto key = parse_image_name(name)) found.emplace_back(*key, std::move(name));
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> ordered;
  ordered.reserve(found.size());
  for (auto& [key, name] : found) ordered.push_back(std::move(name));
  return ordered;
}

Result<std::vector<std::string>> list_images(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file()) names.push_back(entry.path().filename().string());
  }
  if (ec && ec != std::errc::no_such_file_or_directory) {
    return fail(ErrorCode::kIo, fmt::format("cannot list the images: {}", ec.message()));
  }
  return image_names_in_order(std::move(names));
}

}  // namespace docmill
