#pragma once
// The Prometheus text exposition format, version 0.0.4, written directly (it is a few lines of
// text; a client library would bring its own registry and globals). One family is a "# HELP"
// and a "# TYPE" line followed by its samples; label values are escaped, numbers written the
// way Prometheus parses them ("+Inf", "NaN", shortest round-trip decimals).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace docmill {

// The Content-Type of a scrape.
inline constexpr std::string_view kPrometheusContentType =
    "text/plain; version=0.0.4; charset=utf-8";

struct MetricLabel {
  std::string_view name;
  std::string_view value;
};
using MetricLabels = std::vector<MetricLabel>;

// A label value as it goes between the quotes: backslash, double quote and newline escaped.
std::string escape_label_value(std::string_view value);
// A HELP text: backslash and newline escaped (quotes stay as they are).
std::string escape_help(std::string_view help);
// A sample value: integers without a fraction, "+Inf", "-Inf", "NaN".
std::string format_sample_value(double value);

class PrometheusText {
 public:
  // Starts a family: its HELP and TYPE lines ("counter", "gauge", "histogram").
  void family(std::string_view name, std::string_view type, std::string_view help);
  // One sample line: name{labels} value.
  void sample(std::string_view name, const MetricLabels& labels, double value);
  // One histogram series of the current family: a cumulative `_bucket` line per bound (le
  // ascending) and le="+Inf", then `_sum` and `_count`. `counts` holds the observations in each
  // bucket, not cumulated: counts[i] those <= bounds[i] and above the bound before it, the
  // last one (counts.size() == bounds.size() + 1) those above every bound.
  void histogram(std::string_view name, const MetricLabels& labels, std::span<const double> bounds,
                 std::span<const std::uint64_t> counts, double sum);

  const std::string& text() const { return text_; }

 private:
  void labels(const MetricLabels& labels, const MetricLabel* extra);
  std::string text_;
};

}  // namespace docmill
