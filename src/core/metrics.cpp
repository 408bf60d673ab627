#include "core/metrics.h"

#include <algorithm>

namespace docmill {

void Metrics::count_page(std::string_view method, std::string_view outcome, double seconds) {
  const auto bucket = static_cast<size_t>(std::ranges::lower_bound(kPageSecondsBounds, seconds) -
                                          kPageSecondsBounds.begin());
  std::lock_guard lock(mu_);
  ++pages_[{std::string(method), std::string(outcome)}];
  auto it = page_seconds_.find(method);
  if (it == page_seconds_.end()) it = page_seconds_.emplace(std::string(method), Histogram{}).first;
  ++it->second.buckets[bucket];
  it->second.sum += seconds;
}

void Metrics::count_vlm(const VlmPageCounts& counts) {
  std::lock_guard lock(mu_);
  // Negative values only come from a malformed line; they must not turn a counter back.
  const auto add = [](std::uint64_t& total, long long n) {
    if (n > 0) total += static_cast<std::uint64_t>(n);
  };
  add(vlm_.requests, counts.requests);
  add(vlm_.retries, counts.retries);
  add(vlm_.fallbacks, counts.fallback ? 1 : 0);
  add(vlm_.prompt_tokens, counts.prompt_tokens);
  add(vlm_.completion_tokens, counts.completion_tokens);
}

void Metrics::count_upload_bytes(long long bytes) {
  if (bytes <= 0) return;
  std::lock_guard lock(mu_);
  upload_bytes_ += static_cast<std::uint64_t>(bytes);
}

void Metrics::count_request(std::string_view method, std::string_view route, int status) {
  std::lock_guard lock(mu_);
  ++requests_[{std::string(method), std::string(route), status}];
}

void Metrics::write(PrometheusText& out) const {
  std::lock_guard lock(mu_);
  out.family("docmill_pages_total", "counter",
             "Pages read, by read method (text_layer, ocr, vlm, blank, failed) and outcome "
             "(ok, failed).");
  for (const auto& [key, n] : pages_) {
    out.sample("docmill_pages_total", {{"method", key.first}, {"outcome", key.second}},
               static_cast<double>(n));
  }
  out.family("docmill_page_seconds", "histogram",
             "Time a worker took to read one page, by read method.");
  for (const auto& [method, h] : page_seconds_) {
    out.histogram("docmill_page_seconds", {{"method", method}}, kPageSecondsBounds, h.buckets,
                  h.sum);
  }
  out.family("docmill_upload_bytes_total", "counter", "Bytes of PDF files received by uploads.");
  out.sample("docmill_upload_bytes_total", {}, static_cast<double>(upload_bytes_));
  out.family("docmill_http_requests_total", "counter",
             "HTTP requests answered, by method, route (the OpenAPI path template, or other) "
             "and status.");
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    const std::string code = std::to_string(status);
    out.sample("docmill_http_requests_total",
               {{"method", method}, {"route", route}, {"status", code}}, static_cast<double>(n));
  }
  out.family("docmill_vlm_requests_total", "counter",
             "Requests sent to the model server for pages (first tries and retries).");
  out.sample("docmill_vlm_requests_total", {}, static_cast<double>(vlm_.requests));
  out.family("docmill_vlm_retries_total", "counter",
             "Requests to the model server beyond a page's first.");
  out.sample("docmill_vlm_retries_total", {}, static_cast<double>(vlm_.retries));
  out.family("docmill_vlm_fallbacks_total", "counter",
             "Pages the model could not read that the embedded engine read instead.");
  out.sample("docmill_vlm_fallbacks_total", {}, static_cast<double>(vlm_.fallbacks));
  out.family("docmill_vlm_tokens_total", "counter",
             "Tokens the model server reported, by kind (prompt, completion).");
  out.sample("docmill_vlm_tokens_total", {{"kind", "prompt"}},
             static_cast<double>(vlm_.prompt_tokens));
  out.sample("docmill_vlm_tokens_total", {{"kind", "completion"}},
             static_cast<double>(vlm_.completion_tokens));
}

}  // namespace docmill
