#include <gtest/gtest.h>

#include <fstream>

#include "api/auth.h"
#include "api/http_errors.h"
#include "api/job_intake.h"
#include "api/job_json.h"
#include "api/response_encoding.h"
#include "api/web_assets.h"
#include "render/image_names.h"
#include "support/temp_dir.h"

namespace docmill {
namespace {

TEST(Auth, ConstantTimeEquals) {
  EXPECT_TRUE(constant_time_equals("", ""));
  EXPECT_TRUE(constant_time_equals("abc", "abc"));
  EXPECT_FALSE(constant_time_equals("abc", "abd"));
  EXPECT_FALSE(constant_time_equals("abc", "abcd"));
  EXPECT_FALSE(constant_time_equals("abcd", "abc"));
  EXPECT_FALSE(constant_time_equals("", "a"));
}

TEST(Auth, BearerTokenRequiredOnlyWhenConfigured) {
  EXPECT_TRUE(is_authorized(std::nullopt, ""));
  EXPECT_TRUE(is_authorized(std::nullopt, "Bearer anything"));
  const std::optional<std::string> token = "t0k";
  EXPECT_TRUE(is_authorized(token, "Bearer t0k"));
  EXPECT_TRUE(is_authorized(token, "bearer t0k"));
  EXPECT_FALSE(is_authorized(token, ""));
  EXPECT_FALSE(is_authorized(token, "t0k"));
  EXPECT_FALSE(is_authorized(token, "Bearer "));
  EXPECT_FALSE(is_authorized(token, "Bearer t0K"));
  EXPECT_FALSE(is_authorized(token, "Bearer t0k2"));
  EXPECT_FALSE(is_authorized(token, "Basic t0k"));
}

TEST(HttpErrors, EachCodeHasItsStatus) {
  EXPECT_EQ(http_status(ErrorCode::kInvalidArgument), 400);
  EXPECT_EQ(http_status(ErrorCode::kEmpty), 400);
  EXPECT_EQ(http_status(ErrorCode::kUnsupported), 400);
  EXPECT_EQ(http_status(ErrorCode::kNotFound), 404);
  EXPECT_EQ(http_status(ErrorCode::kTooLarge), 413);
  EXPECT_EQ(http_status(ErrorCode::kTooManyPages), 413);
  EXPECT_EQ(http_status(ErrorCode::kNotPdf), 415);
  EXPECT_EQ(http_status(ErrorCode::kEncrypted), 422);
  EXPECT_EQ(http_status(ErrorCode::kCorrupt), 422);
  EXPECT_EQ(http_status(ErrorCode::kQueueFull), 429);
  EXPECT_EQ(http_status(ErrorCode::kDatabase), 500);
  EXPECT_EQ(http_status(ErrorCode::kIo), 500);
}

TEST(HttpErrors, BodiesAreJsonEvenForInvalidUtf8) {
  httplib::Response res;
  send_error(res, Error{ErrorCode::kNotPdf, "bad \xff name"});
  EXPECT_EQ(res.status, 415);
  auto j = nlohmann::json::parse(res.body);
  EXPECT_EQ(j["error"], "not_pdf");
  EXPECT_TRUE(j["detail"].is_string());
}

TEST(ResponseEncoding, BrotliIsRefusedTheRestKept) {
  const auto accepted = [](std::string value) {
    httplib::Request req;
    req.headers.emplace("Accept-Encoding", value);
    refuse_brotli(req);
    return req.get_header_value("Accept-Encoding");
  };
  EXPECT_EQ(accepted("gzip, deflate, br, zstd"), "gzip, deflate, zstd");
  EXPECT_EQ(accepted("br;q=1.0, gzip;q=0.8"), "gzip;q=0.8");
  EXPECT_EQ(accepted("br"), "");
  EXPECT_EQ(accepted("gzip"), "gzip");
  httplib::Request none;
  refuse_brotli(none);
  EXPECT_FALSE(none.has_header("Accept-Encoding"));
}

TEST(WebAssets, PagesAndTheirFilesArePublicTheApiIsNot) {
  for (const char* path : {"/", "/docs", "/openapi.json", "/health", "/static/js/main.js"}) {
    EXPECT_TRUE(is_public_path(path)) << path;
  }
  for (const char* path :
       {"/tasks", "/process_pdf", "/result/x/status", "/static", "/docs/x", "/statics/x", "//"}) {
    EXPECT_FALSE(is_public_path(path)) << path;
  }
}

TEST(ImageNames, OnlyNamesThePipelineWrites) {
  EXPECT_TRUE(is_image_name("0_0.jpg"));
  EXPECT_TRUE(is_image_name("12_3.jpg"));
  for (const char* bad : {"", ".jpg", "0_.jpg", "_0.jpg", "0_0.jpeg", "0_0.JPG", "0-0.jpg",
                          "-1_0.jpg", "../0_0.jpg", "0_0.jpg/..", "/etc/passwd", "..", "0_0",
                          "a_0.jpg", "0_0.jpg.png", "0_0_0.jpg", "0_+1.jpg", " 0_0.jpg"}) {
    EXPECT_FALSE(is_image_name(bad)) << bad;
  }
}

TEST(ImageNames, ListedByPageThenIndexNumerically) {
  testing::TempDir dir;
  for (const char* name :
       {"10_0.jpg", "2_1.jpg", "2_0.jpg", "2_10.jpg", "notes.txt", "1_0.jpg.tmp"}) {
    std::ofstream(dir / name) << "x";
  }
  auto names = list_images(dir.path());
  ASSERT_TRUE(names);
  EXPECT_EQ(*names, (std::vector<std::string>{"2_0.jpg", "2_1.jpg", "2_10.jpg", "10_0.jpg"}));
  auto none = list_images(dir / "missing");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST(JobJson, AQueuedJobSaysWhereItStandsAndWhenItShouldBeDone) {
  Job job;
  job.status = JobStatus::kPending;
  job.total_pages = 4;
  job.priority = Priority::kHigh;
  QueueStanding standing{
      .queue_position = 2, .pages_ahead = 6, .running_alongside = 0, .seconds_per_page = 0.5};
  const auto j = job_to_json(job, standing);
  EXPECT_EQ(j["priority"], "high");
  EXPECT_EQ(j["queue_position"], 2);
  EXPECT_EQ(j["pages_ahead"], 6);
  EXPECT_DOUBLE_EQ(j["estimated_seconds_remaining"].get<double>(), 5.0);  // (6 + 4) x 0.5
  // Its own pages at the pace of their read method: scans in a queue of born-digital files.
  standing.own_seconds_per_page = 2.0;
  EXPECT_DOUBLE_EQ(job_to_json(job, standing)["estimated_seconds_remaining"].get<double>(),
                   6 * 0.5 + 4 * 2.0);
  standing.seconds_per_page.reset();
  EXPECT_TRUE(job_to_json(job, standing)["estimated_seconds_remaining"].is_null());
}

TEST(JobJson, HasTheSeedsFields) {
  Job job;
  job.job_id = "id";
  job.status = JobStatus::kProcessing;
  job.filename = "a.pdf";
  job.total_pages = 10;
  job.processed_pages = 5;
  job.created_at = "2025-11-01T10:00:00Z";
  job.updated_at = "2025-11-01T10:02:30Z";
  const auto j = job_to_json(job);
  EXPECT_EQ(j["status"], "processing");
  EXPECT_EQ(j["total_pages"], 10);
  EXPECT_EQ(j["processed_pages"], 5);
  EXPECT_TRUE(j["error_message"].is_null());
  // The seed's eight, and the extensions: priority, queue_position, pages_ahead,
  // estimated_seconds_remaining (null without a standing).
  EXPECT_EQ(j.size(), 12u);
  EXPECT_EQ(j["priority"], "normal");
  EXPECT_TRUE(j["queue_position"].is_null());
  EXPECT_TRUE(j["estimated_seconds_remaining"].is_null());
  job.error_message = "page 2: broken";
  EXPECT_EQ(job_to_json(job)["error_message"], "page 2: broken");
}

TEST(UploadFields, OverrideTheDefaults) {
  Upload upload;
  const ReadOptions defaults;
  auto same = read_options_from_fields(upload, defaults);
  ASSERT_TRUE(same);
  EXPECT_EQ(same->lang, "eng");
  EXPECT_EQ(same->dpi, 300);
  EXPECT_FALSE(same->force_ocr);

  upload.fields = {{"dpi", " 150 "}, {"force_ocr", "TRUE"}, {"lang", "eng"}};
  auto set = read_options_from_fields(upload, defaults);
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->dpi, 150);
  EXPECT_TRUE(set->force_ocr);
  EXPECT_EQ(set->ocr_existing, OcrExisting::kAuto) << "the default";

  for (const auto& [value, mode] :
       std::vector<std::pair<std::string, OcrExisting>>{{"keep", OcrExisting::kKeep},
                                                        {" REDO ", OcrExisting::kRedo},
                                                        {"auto", OcrExisting::kAuto}}) {
    upload.fields = {{"ocr_existing", value}};
    auto existing = read_options_from_fields(upload, defaults);
    ASSERT_TRUE(existing) << existing.error().message;
    EXPECT_EQ(existing->ocr_existing, mode) << value;
  }
}

TEST(UploadFields, BadValuesNameTheField) {
  const ReadOptions defaults;
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, std::string>>{{"dpi", "abc"},
                                                        {"dpi", "20"},
                                                        {"force_ocr", "perhaps"},
                                                        {"lang", "klingon"},
                                                        {"ocr_existing", "sometimes"}}) {
    Upload upload;
    upload.fields[name] = value;
    auto r = read_options_from_fields(upload, defaults);
    ASSERT_FALSE(r) << name;
    EXPECT_NE(r.error().message.find(name), std::string::npos) << r.error().message;
  }
  Upload lang;
  lang.fields["lang"] = "klingon";
  auto r = read_options_from_fields(lang, defaults);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(r.error().message.find("eng"), std::string::npos) << "lists what is installed";
}

}  // namespace
}  // namespace docmill
