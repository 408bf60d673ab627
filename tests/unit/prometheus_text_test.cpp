#include "core/prometheus_text.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

namespace docmill {
namespace {

TEST(PrometheusText, LabelValuesEscapeBackslashQuoteAndNewline) {
  EXPECT_EQ(escape_label_value("plain /result/{job_id}"), "plain /result/{job_id}");
  EXPECT_EQ(escape_label_value(R"(C:\dir)"), R"(C:\\dir)");
  EXPECT_EQ(escape_label_value(R"(say "hi")"), R"(say \"hi\")");
  EXPECT_EQ(escape_label_value("two\nlines"), R"(two\nlines)");
  EXPECT_EQ(escape_label_value("\\\"\n"), R"(\\\"\n)");
}

TEST(PrometheusText, HelpEscapesBackslashAndNewlineButNotQuotes) {
  EXPECT_EQ(escape_help("a \"b\" \\ c\nd"), R"(a "b" \\ c\nd)");
}

TEST(PrometheusText, ValuesAreWrittenAsPrometheusParsesThem) {
  EXPECT_EQ(format_sample_value(0), "0");
  EXPECT_EQ(format_sample_value(42), "42");
  EXPECT_EQ(format_sample_value(123456789012.0), "123456789012");
  EXPECT_EQ(format_sample_value(0.25), "0.25");
  EXPECT_EQ(format_sample_value(-1.5), "-1.5");
  EXPECT_EQ(format_sample_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_sample_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_sample_value(std::nan("")), "NaN");
}

TEST(PrometheusText, AFamilyHasHelpAndTypeLinesThenItsSamples) {
  PrometheusText out;
  out.family("docmill_jobs", "gauge", "Jobs in the store,\nby status.");
  out.sample("docmill_jobs", {{"status", "pending"}}, 2);
  out.sample("docmill_jobs", {{"status", "odd \"one\""}, {"x", "y"}}, 0);
  out.family("docmill_upload_bytes_total", "counter", "Bytes.");
  out.sample("docmill_upload_bytes_total", {}, 1024);
  EXPECT_EQ(out.text(),
            "# HELP docmill_jobs Jobs in the store,\\nby status.\n"
            "# TYPE docmill_jobs gauge\n"
            "docmill_jobs{status=\"pending\"} 2\n"
            "docmill_jobs{status=\"odd \\\"one\\\"\",x=\"y\"} 0\n"
            "# HELP docmill_upload_bytes_total Bytes.\n"
            "# TYPE docmill_upload_bytes_total counter\n"
            "docmill_upload_bytes_total 1024\n");
}

TEST(PrometheusText, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  PrometheusText out;
  const std::array<double, 3> bounds{0.1, 1, 10};
  // 2 at most 0.1, 0 in (0.1, 1], 3 in (1, 10], 1 above 10.
  const std::array<std::uint64_t, 4> counts{2, 0, 3, 1};
  out.histogram("docmill_page_seconds", {{"method", "ocr"}}, bounds, counts, 31.5);
  EXPECT_EQ(out.text(),
            "docmill_page_seconds_bucket{method=\"ocr\",le=\"0.1\"} 2\n"
            "docmill_page_seconds_bucket{method=\"ocr\",le=\"1\"} 2\n"
            "docmill_page_seconds_bucket{method=\"ocr\",le=\"10\"} 5\n"
            "docmill_page_seconds_bucket{method=\"ocr\",le=\"+Inf\"} 6\n"
            "docmill_page_seconds_sum{method=\"ocr\"} 31.5\n"
            "docmill_page_seconds_count{method=\"ocr\"} 6\n");
}

TEST(PrometheusText, AHistogramWithoutLabelsHasOnlyLe) {
  PrometheusText out;
  const std::array<double, 1> bounds{1};
  const std::array<std::uint64_t, 2> counts{0, 0};
  out.histogram("h", {}, bounds, counts, 0);
  EXPECT_EQ(out.text(),
            "h_bucket{le=\"1\"} 0\n"
            "h_bucket{le=\"+Inf\"} 0\n"
            "h_sum 0\n"
            "h_count 0\n");
}

}  // namespace
}  // namespace docmill
