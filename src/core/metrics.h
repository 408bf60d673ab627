#pragma once
// The server's counters for GET /metrics: pages read (by read method and outcome) and their
// times, upload bytes, HTTP requests by route and status, and the model server's requests,
// retries, fallbacks and tokens. One object, owned by App and passed by reference to who counts
// (the worker supervisor, which reads the workers' page lines, and the API). Thread-safe.
//
// Gauges (jobs by status, units queued, busy and idle workers) are not kept here: the scrape
// reads them from the store and the supervisor when it is made.
#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

#include "core/prometheus_text.h"

namespace docmill {

// What one page cost on the model server (pages.json's "vlm").
struct VlmPageCounts {
  int requests = 0;  // the first, and the retries
  int retries = 0;
  bool fallback = false;  // read by the embedded engine after the model could not
  long long prompt_tokens = 0;
  long long completion_tokens = 0;
};

class Metrics {
 public:
  // Upper bounds, in seconds, of the page time histogram's buckets: a text-layer page takes
  // milliseconds, an OCR page about a second, a model's page up to minutes.
  static constexpr std::array<double, 12> kPageSecondsBounds{0.01, 0.05, 0.1, 0.25, 0.5, 1,
                                                             2.5,  5,    10,  30,   60,  120};

  // `method` is a ReadMethod's name, `outcome` "ok" or "failed".
  void count_page(std::string_view method, std::string_view outcome, double seconds);
  void count_vlm(const VlmPageCounts& counts);
  void count_upload_bytes(long long bytes);
  // `route` is an OpenAPI path template or "other", never a raw path: the label's values stay
  // a small fixed set.
  void count_request(std::string_view method, std::string_view route, int status);

  // The counters' families, each with its HELP and TYPE lines.
  void write(PrometheusText& out) const;

 private:
  struct Histogram {
    std::array<std::uint64_t, kPageSecondsBounds.size() + 1> buckets{};
    double sum = 0;
  };

  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> pages_;  // (method, outcome)
  std::map<std::string, Histogram, std::less<>> page_seconds_;          // by method
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::uint64_t upload_bytes_ = 0;
  struct VlmTotals {
    std::uint64_t requests = 0, retries = 0, fallbacks = 0, prompt_tokens = 0,
                  completion_tokens = 0;
  } vlm_;
};

}  // namespace docmill
