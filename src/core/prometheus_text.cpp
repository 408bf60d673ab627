#include "core/prometheus_text.h"

#include <cmath>

#include <fmt/format.h>

namespace docmill {

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string escape_help(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (const char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string format_sample_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // Counts are exact integers far beyond what a counter reaches; "{}" would write 1e+16.
  if (value == std::trunc(value) && std::fabs(value) < 1e15) {
    return fmt::format("{}", static_cast<long long>(value));
  }
  return fmt::format("{}", value);
}

void PrometheusText::family(std::string_view name, std::string_view type, std::string_view help) {
  text_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, escape_help(help), name, type);
}

void PrometheusText::labels(const MetricLabels& labels, const MetricLabel* extra) {
  if (labels.empty() && extra == nullptr) return;
  text_ += '{';
  bool first = true;
  const auto add = [&](const MetricLabel& l) {
    if (!first) text_ += ',';
    first = false;
    text_ += fmt::format("{}=\"{}\"", l.name, escape_label_value(l.value));
  };
  for (const MetricLabel& l : labels) add(l);
  if (extra != nullptr) add(*extra);
  text_ += '}';
}

void PrometheusText::sample(std::string_view name, const MetricLabels& sample_labels,
                            double value) {
  text_ += name;
  labels(sample_labels, nullptr);
  text_ += ' ';
  text_ += format_sample_value(value);
  text_ += '\n';
}

void PrometheusText::histogram(std::string_view name, const MetricLabels& series,
                               std::span<const double> bounds,
                               std::span<const std::uint64_t> counts, double sum) {
  std::uint64_t cumulative = 0;
  for (size_t i = 0; i <= bounds.size(); ++i) {
    if (i < counts.size()) cumulative += counts[i];
    const std::string le = i < bounds.size() ? format_sample_value(bounds[i]) : "+Inf";
    const MetricLabel bound{"le", le};
    text_ += fmt::format("{}_bucket", name);
    labels(series, &bound);
    text_ += fmt::format(" {}\n", cumulative);
  }
  sample(fmt::format("{}_sum", name), series, sum);
  sample(fmt::format("{}_count", name), series, static_cast<double>(cumulative));
}

}  // namespace docmill
