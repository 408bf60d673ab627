#include "core/metrics.h"

#include <gtest/gtest.h>

#include <string>

#include "api/metrics_scrape.h"
#include "api/route_labels.h"
#include "api/routes.h"

namespace docmill {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.starts_with(line + "\n");
}

std::string written(const Metrics& m) {
  PrometheusText out;
  m.write(out);
  return out.text();
}

TEST(Metrics, PagesAreCountedByMethodAndOutcomeAndTimedInTheirBucket) {
  Metrics m;
  m.count_page("ocr", "ok", 0.7);
  m.count_page("ocr", "ok", 1.0);  // on a bound: in that bucket (le is "at most")
  m.count_page("ocr", "failed", 200);
  m.count_page("text_layer", "ok", 0.004);
  const std::string text = written(m);
  EXPECT_TRUE(has_line(text, "# TYPE docmill_pages_total counter")) << text;
  EXPECT_TRUE(has_line(text, R"(docmill_pages_total{method="ocr",outcome="ok"} 2)")) << text;
  EXPECT_TRUE(has_line(text, R"(docmill_pages_total{method="ocr",outcome="failed"} 1)"));
  EXPECT_TRUE(has_line(text, R"(docmill_pages_total{method="text_layer",outcome="ok"} 1)"));
  EXPECT_TRUE(has_line(text, "# TYPE docmill_page_seconds histogram"));
  EXPECT_TRUE(has_line(text, R"(docmill_page_seconds_bucket{method="ocr",le="0.5"} 0)"));
  EXPECT_TRUE(has_line(text, R"(docmill_page_seconds_bucket{method="ocr",le="1"} 2)"));
  EXPECT_TRUE(has_line(text, R"(docmill_page_seconds_bucket{method="ocr",le="120"} 2)"));
  EXPECT_TRUE(has_line(text, R"(docmill_page_seconds_bucket{method="ocr",le="+Inf"} 3)"));
  EXPECT_TRUE(has_line(text, R"(docmill_page_seconds_sum{method="ocr"} 201.7)"));
  EXPECT_TRUE(has_line(text, R"(docmill_page_seconds_count{method="ocr"} 3)"));
  EXPECT_TRUE(has_line(text, R"(docmill_page_seconds_bucket{method="text_layer",le="0.01"} 1)"));
}

TEST(Metrics, UploadsRequestsAndTheModelServerAreCounted) {
  Metrics m;
  EXPECT_TRUE(has_line(written(m), "docmill_upload_bytes_total 0"));
  EXPECT_TRUE(has_line(written(m), "docmill_vlm_requests_total 0"));
  m.count_upload_bytes(1000);
  m.count_upload_bytes(24);
  m.count_upload_bytes(-5);  // never turns the counter back
  m.count_request("POST", "/process_pdf", 200);
  m.count_request("POST", "/process_pdf", 200);
  m.count_request("GET", "/result/{job_id}/status", 404);
  m.count_vlm({.requests = 3,
               .retries = 2,
               .fallback = true,
               .prompt_tokens = 700,
               .completion_tokens = 50});
  m.count_vlm({.requests = 1, .prompt_tokens = 600, .completion_tokens = 40});
  const std::string text = written(m);
  EXPECT_TRUE(has_line(text, "docmill_upload_bytes_total 1024")) << text;
  EXPECT_TRUE(has_line(
      text, R"(docmill_http_requests_total{method="POST",route="/process_pdf",status="200"} 2)"));
  EXPECT_TRUE(has_line(
      text,
      R"(docmill_http_requests_total{method="GET",route="/result/{job_id}/status",status="404"} 1)"));
  EXPECT_TRUE(has_line(text, "docmill_vlm_requests_total 4"));
  EXPECT_TRUE(has_line(text, "docmill_vlm_retries_total 2"));
  EXPECT_TRUE(has_line(text, "docmill_vlm_fallbacks_total 1"));
  EXPECT_TRUE(has_line(text, R"(docmill_vlm_tokens_total{kind="prompt"} 1300)"));
  EXPECT_TRUE(has_line(text, R"(docmill_vlm_tokens_total{kind="completion"} 90)"));
}

TEST(Metrics, TheScrapeHasTheStoreAndWorkerGaugesAndLeavesOutWhatTheStoreCouldNotSay) {
  Metrics m;
  StoreCounts counts;
  counts.jobs = {{JobStatus::kPending, 2},
                 {JobStatus::kProcessing, 1},
                 {JobStatus::kCompleted, 5},
                 {JobStatus::kFailed, 0}};
  counts.open_units = 7;
  const std::string text = metrics_scrape(m, &counts, {.busy = 1, .idle = 3});
  EXPECT_TRUE(has_line(text, "# TYPE docmill_jobs gauge")) << text;
  EXPECT_TRUE(has_line(text, R"(docmill_jobs{status="pending"} 2)"));
  EXPECT_TRUE(has_line(text, R"(docmill_jobs{status="completed"} 5)"));
  EXPECT_TRUE(has_line(text, R"(docmill_jobs{status="failed"} 0)"));
  EXPECT_TRUE(has_line(text, "docmill_queue_depth_units 7"));
  EXPECT_TRUE(has_line(text, R"(docmill_workers{state="busy"} 1)"));
  EXPECT_TRUE(has_line(text, R"(docmill_workers{state="idle"} 3)"));
  EXPECT_TRUE(has_line(text, "docmill_upload_bytes_total 0"));

  const std::string partial = metrics_scrape(m, nullptr, {});
  EXPECT_EQ(partial.find("docmill_jobs"), std::string::npos);
  EXPECT_EQ(partial.find("docmill_queue_depth_units"), std::string::npos);
  EXPECT_TRUE(has_line(partial, R"(docmill_workers{state="idle"} 0)"));
}

TEST(RouteLabels, ARequestIsLabelledByItsRouteTemplateNeverItsPath) {
  std::vector<std::string_view> templates;
  for (const Route& r : Api::routes()) templates.push_back(r.path);
  const RouteLabels labels(templates);
  EXPECT_EQ(labels.route_of("/process_pdf"), "/process_pdf");
  EXPECT_EQ(labels.route_of("/result/0a1b-2c/status"), "/result/{job_id}/status");
  EXPECT_EQ(labels.route_of("/result/0a1b-2c"), "/result/{job_id}");
  EXPECT_EQ(labels.route_of("/result/0a1b/images/3_1.jpg"), "/result/{job_id}/images/{image_name}");
  EXPECT_EQ(labels.route_of("/result/0a1b/images"), "/result/{job_id}/images");
  EXPECT_EQ(labels.route_of("/metrics"), "/metrics");
  EXPECT_EQ(labels.route_of("/ready"), "/ready");
  EXPECT_EQ(labels.route_of("/"), "/");
  EXPECT_EQ(labels.route_of("/static/style.css"), "other");
  EXPECT_EQ(labels.route_of("/no/such/thing"), "other");
  EXPECT_EQ(labels.route_of("/result/a/b/status"), "other");
  EXPECT_EQ(RouteLabels::method_of("DELETE"), "DELETE");
  EXPECT_EQ(RouteLabels::method_of("BREW"), "other");
}

}  // namespace
}  // namespace docmill
