#include "exec/worker_messages.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace docmill::worker_messages {
namespace {

std::optional<int> to_int(std::string_view s) {
  int v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<long long> to_count(std::string_view s) {
  long long v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size() || v < 0) return std::nullopt;
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

std::string page(std::string_view worker_id, const PageResult& page) {
  // From what pages.json records: a page the model could not read keeps no tokens and no
  // retries (VlmEngine::read fails without its stats), so it is one request.
  VlmPageCounts vlm;
  if (page.vlm) {
    vlm.retries = page.vlm->retries;
    vlm.requests = 1 + page.vlm->retries;
    vlm.fallback = page.vlm->fallback.has_value();
    vlm.prompt_tokens = page.vlm->prompt_tokens;
    vlm.completion_tokens = page.vlm->completion_tokens;
  }
  return fmt::format("page {} {} {} {} {} {} {} {} {}", worker_id, to_string(page.method),
                     page.error ? "failed" : "ok", std::llround(std::max(page.millis, 0.0)),
                     vlm.requests, vlm.retries, vlm.fallback ? 1 : 0, vlm.prompt_tokens,
                     vlm.completion_tokens);
}

std::optional<PageLine> parse_page(std::string_view line) {
  const auto w = words(line);
  if (w.size() != 10 || w[0] != "page") return std::nullopt;
  const auto method = parse_read_method(w[2]);
  if (!method || (w[3] != "ok" && w[3] != "failed")) return std::nullopt;
  long long n[6] = {};
  for (size_t i = 0; i < 6; ++i) {
    const auto v = to_count(w[4 + i]);
    if (!v) return std::nullopt;
    n[i] = *v;
  }
  if (n[1] > std::numeric_limits<int>::max() || n[2] > std::numeric_limits<int>::max() ||
      n[3] > 1) {
    return std::nullopt;
  }
  PageLine out;
  out.worker_id = std::string(w[1]);
  out.method = *method;
  out.ok = w[3] == "ok";
  out.millis = n[0];
  out.vlm = {.requests = static_cast<int>(n[1]),
             .retries = static_cast<int>(n[2]),
             .fallback = n[3] == 1,
             .prompt_tokens = n[4],
             .completion_tokens = n[5]};
  return out;
}

}  // namespace docmill::worker_messages
