#include "exec/worker_messages.h"

#include <charconv>

#include <fmt/format.h>

namespace docmill::worker_messages {
namespace {

std::optional<int> to_int(std::string_view s) {
  int v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  while (!line.empty()) {
    const auto space = line.find(' ');
    if (space != 0) out.push_back(line.substr(0, space));
    if (space == std::string_view::npos) break;
    line.remove_prefix(space + 1);
  }
  return out;
}

std::string unit(std::string_view worker_id, const WorkClaim& claim) {
  return fmt::format("unit {} {} {} {} {}", worker_id, claim.job_id, claim.page_index,
                     claim.attempt, claim.previous_failure ? 1 : 0);
}

std::optional<UnitLine> parse_unit(std::string_view line) {
  const auto w = words(line);
  if (w.size() != 6 || w[0] != "unit") return std::nullopt;
  const auto page = to_int(w[3]);
  const auto attempt = to_int(w[4]);
  const auto retry = to_int(w[5]);
  if (!page || !attempt || !retry) return std::nullopt;
  UnitLine out;
  out.worker_id = std::string(w[1]);
  out.claim.job_id = std::string(w[2]);
  out.claim.page_index = *page;
  out.claim.attempt = *attempt;
  if (*retry != 0) out.claim.previous_failure = "";
  return out;
}

}  // namespace docmill::worker_messages
