#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "core/config.h"

namespace docmill {
namespace {

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    const auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(ServeConfig, DefaultsWhenNothingIsSet) {
  auto c = make_serve_config(settings_from_env(env_of({})));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->host, "0.0.0.0");
  EXPECT_EQ(c->port, 8000);
  EXPECT_EQ(c->data_dir, std::filesystem::path("./data"));
  EXPECT_FALSE(c->auth_token);
  EXPECT_EQ(c->langs, "eng");
  EXPECT_EQ(c->dpi, 300);
  EXPECT_EQ(c->workers, static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  EXPECT_EQ(c->max_upload_bytes, 200LL * 1024 * 1024);
  EXPECT_EQ(c->max_pages, 2000);
  EXPECT_EQ(c->max_queued_jobs, 1000);
  EXPECT_EQ(c->max_event_streams, 64);
  EXPECT_EQ(c->lease, std::chrono::seconds(60));
  EXPECT_EQ(c->shutdown_grace, std::chrono::seconds(30));
  EXPECT_EQ(c->worker_memory_bytes, 1024LL << 20);
  EXPECT_EQ(c->page_timeout, std::chrono::seconds(120));
  EXPECT_EQ(c->max_render_pixels, 50'000'000);
  EXPECT_FALSE(c->retention);
}

TEST(ServeConfig, ReadsEveryVariable) {
  auto c = make_serve_config(settings_from_env(env_of({
      {"DOCMILL_HOST", "127.0.0.1"},
      {"DOCMILL_PORT", "9001"},
      {"DOCMILL_DATA_DIR", "/var/lib/docmill"},
      {"AUTH_TOKEN", "tok"},
      {"DOCMILL_LANGS", "eng+deu"},
      {"DOCMILL_DPI", "200"},
      {"DOCMILL_WORKERS", "3"},
      {"DOCMILL_MAX_UPLOAD_MB", "5"},
      {"DOCMILL_MAX_PAGES", "10"},
      {"DOCMILL_MAX_QUEUED_JOBS", "7"},
      {"DOCMILL_MAX_EVENT_STREAMS", "2"},
      {"DOCMILL_LEASE_SECONDS", "20"},
      {"DOCMILL_SHUTDOWN_GRACE_SECONDS", "0"},
      {"DOCMILL_WORKER_MEMORY_MB", "512"},
      {"DOCMILL_PAGE_TIMEOUT_SECONDS", "30"},
      {"DOCMILL_MAX_RENDER_MEGAPIXELS", "20"},
      {"DOCMILL_RETENTION_HOURS", "48"},
      {"UNRELATED", "x"},
  })));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->host, "127.0.0.1");
  EXPECT_EQ(c->port, 9001);
  EXPECT_EQ(c->data_dir, std::filesystem::path("/var/lib/docmill"));
  EXPECT_EQ(c->auth_token, "tok");
  EXPECT_EQ(c->langs, "eng+deu");
  EXPECT_EQ(c->dpi, 200);
  EXPECT_EQ(c->workers, 3);
  EXPECT_EQ(c->max_upload_bytes, 5LL << 20);
  EXPECT_EQ(c->max_pages, 10);
  EXPECT_EQ(c->max_queued_jobs, 7);
  EXPECT_EQ(c->max_event_streams, 2);
  EXPECT_EQ(c->lease, std::chrono::seconds(20));
  EXPECT_EQ(c->shutdown_grace, std::chrono::seconds(0));
  EXPECT_EQ(c->worker_memory_bytes, 512LL << 20);
  EXPECT_EQ(c->page_timeout, std::chrono::seconds(30));
  EXPECT_EQ(c->max_render_pixels, 20'000'000);
  EXPECT_EQ(c->retention, std::chrono::hours(48));
}

TEST(ServeConfig, AFlagWinsOverTheEnvironment) {
  // serve_command lays the flags over the environment's values, then validates once.
  SettingValues values = settings_from_env(env_of({{"DOCMILL_PORT", "9001"}}));
  values["DOCMILL_PORT"] = "9002";
  auto c = make_serve_config(values);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->port, 9002);
}

TEST(ServeConfig, ABadValueIsAnErrorNamingTheSetting) {
  const std::pair<const char*, const char*> bad[] = {
      {"DOCMILL_PORT", "http"},
      {"DOCMILL_PORT", "70000"},
      {"DOCMILL_PORT", "0"},
      {"DOCMILL_DPI", "10"},
      {"DOCMILL_DPI", "300dpi"},
      {"DOCMILL_WORKERS", "0"},
      {"DOCMILL_WORKERS", "-2"},
      {"DOCMILL_MAX_UPLOAD_MB", "0"},
      {"DOCMILL_MAX_PAGES", ""},
      {"DOCMILL_MAX_QUEUED_JOBS", "1e3"},
      {"DOCMILL_MAX_EVENT_STREAMS", "0"},
      {"DOCMILL_MAX_EVENT_STREAMS", "5000"},
      {"DOCMILL_LANGS", "eng deu"},
      {"DOCMILL_LANGS", "../x"},
      {"DOCMILL_LANGS", "eng+"},
      {"DOCMILL_HOST", ""},
      {"DOCMILL_DATA_DIR", ""},
      {"DOCMILL_LEASE_SECONDS", "1"},
      {"DOCMILL_WORKER_MEMORY_MB", "64"},
      {"DOCMILL_PAGE_TIMEOUT_SECONDS", "0"},
      {"DOCMILL_MAX_RENDER_MEGAPIXELS", "0"},
      {"DOCMILL_RETENTION_HOURS", "a day"},
      {"DOCMILL_OCR_EXISTING", "sometimes"},
  };
  for (const auto& [name, value] : bad) {
    auto c = make_serve_config({{name, value}});
    ASSERT_FALSE(c) << name << "=" << value;
    EXPECT_EQ(c.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(c.error().message.find(name), std::string::npos) << c.error().message;
  }
}

TEST(ServeConfig, AnEmptyTokenMeansNoAuthentication) {
  auto c = make_serve_config({{"AUTH_TOKEN", ""}});
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->auth_token);
}

TEST(ServeConfig, EverySettingHasAFlagAndHelp) {
  std::set<std::string_view> envs;
  for (const auto& s : serve_settings()) {
    EXPECT_FALSE(s.flag.empty());
    EXPECT_FALSE(s.help.empty());
    envs.insert(s.env);
  }
  for (const char* required :
       {"DOCMILL_HOST", "DOCMILL_PORT", "DOCMILL_DATA_DIR", "AUTH_TOKEN", "DOCMILL_LANGS",
        "DOCMILL_DPI", "DOCMILL_WORKERS", "DOCMILL_MAX_UPLOAD_MB", "DOCMILL_MAX_PAGES",
        "DOCMILL_MAX_QUEUED_JOBS", "DOCMILL_MAX_EVENT_STREAMS"}) {
    EXPECT_TRUE(envs.contains(required)) << required;
  }
}

TEST(ServeConfig, ADatabaseUrlChoosesPostgresAndABadOneIsRefusedWithoutEchoingIt) {
  auto none = make_serve_config({});
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->database_url);  // SQLite in the data directory
  EXPECT_TRUE(none->run_workers);
  for (const char* url : {"postgresql://docmill:pw@db:5432/jobs", "postgres://db/jobs"}) {
    auto c = make_serve_config({{"DOCMILL_DATABASE_URL", url}});
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->database_url, url);
  }
  auto empty = make_serve_config({{"DOCMILL_DATABASE_URL", ""}});
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty->database_url);
  auto bad = make_serve_config({{"DOCMILL_DATABASE_URL", "mysql://root:hunter2@db/jobs"}});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("DOCMILL_DATABASE_URL"), std::string::npos);
  EXPECT_EQ(bad.error().message.find("hunter2"), std::string::npos) << bad.error().message;
}

TEST(ServeConfig, AnObjectStoreNeedsItsKeysAndNeverEchoesThem) {
  auto none = make_serve_config({});
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->s3.configured());  // the files stay in the data directory
  auto set = make_serve_config({{"DOCMILL_S3_ENDPOINT", "http://minio:9000"},
                                {"DOCMILL_S3_ACCESS_KEY_ID", "AKID"},
                                {"DOCMILL_S3_SECRET_ACCESS_KEY", "s3cr3t"},
                                {"DOCMILL_S3_REGION", "eu-west-1"}});
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_TRUE(set->s3.configured());
  EXPECT_EQ(set->s3.bucket, "docmill");
  EXPECT_EQ(set->s3.region, "eu-west-1");
  EXPECT_EQ(set->s3.secret_access_key, "s3cr3t");

  auto keyless = make_serve_config({{"DOCMILL_S3_ENDPOINT", "http://minio:9000"}});
  ASSERT_FALSE(keyless);
  EXPECT_NE(keyless.error().message.find("DOCMILL_S3_SECRET_ACCESS_KEY"), std::string::npos)
      << keyless.error().message;
  auto in_url = make_serve_config({{"DOCMILL_S3_ENDPOINT", "http://AKID:hunter2@minio:9000"},
                                   {"DOCMILL_S3_ACCESS_KEY_ID", "AKID"},
                                   {"DOCMILL_S3_SECRET_ACCESS_KEY", "s3cr3t"}});
  ASSERT_FALSE(in_url);
  EXPECT_EQ(in_url.error().message.find("hunter2"), std::string::npos) << in_url.error().message;
  auto not_http = make_serve_config({{"DOCMILL_S3_ENDPOINT", "s3://bucket"},
                                     {"DOCMILL_S3_ACCESS_KEY_ID", "AKID"},
                                     {"DOCMILL_S3_SECRET_ACCESS_KEY", "s3cr3t"}});
  ASSERT_FALSE(not_http);
  EXPECT_NE(not_http.error().message.find("DOCMILL_S3_ENDPOINT"), std::string::npos);
}

TEST(ServeConfig, ReadinessFreeSpaceAndPublicMetrics) {
  auto none = make_serve_config({});
  ASSERT_TRUE(none);
  EXPECT_EQ(none->ready_min_free_bytes, 1024LL << 20);
  EXPECT_FALSE(none->metrics_public);
  auto set =
      make_serve_config({{"DOCMILL_READY_MIN_FREE_MB", "5"}, {"DOCMILL_METRICS_PUBLIC", "1"}});
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->ready_min_free_bytes, 5LL << 20);
  EXPECT_TRUE(set->metrics_public);
  for (const auto& [name, value] : {std::pair{"DOCMILL_METRICS_PUBLIC", "yes"},
                                    {"DOCMILL_METRICS_PUBLIC", "2"},
                                    {"DOCMILL_READY_MIN_FREE_MB", "-1"}}) {
    auto bad = make_serve_config({{name, value}});
    ASSERT_FALSE(bad) << name << "=" << value;
    EXPECT_NE(bad.error().message.find(name), std::string::npos) << bad.error().message;
  }
}

TEST(ServeConfig, OcrExistingDefaultsToAutoAndReadsItsValues) {
  auto none = make_serve_config({});
  ASSERT_TRUE(none);
  EXPECT_EQ(none->ocr_existing, OcrExisting::kAuto);
  auto redo = make_serve_config({{"DOCMILL_OCR_EXISTING", "redo"}});
  ASSERT_TRUE(redo) << redo.error().message;
  EXPECT_EQ(redo->ocr_existing, OcrExisting::kRedo);
  auto keep = make_serve_config({{"DOCMILL_OCR_EXISTING", "keep"}});
  ASSERT_TRUE(keep) << keep.error().message;
  EXPECT_EQ(keep->ocr_existing, OcrExisting::kKeep);
}

TEST(ServeConfig, TheEngineIsTesseractUnlessAModelServerIsSet) {
  auto plain = make_serve_config({});
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->engine, EngineKind::kTesseract);
  EXPECT_FALSE(plain->vlm.configured());

  auto with_url = make_serve_config({{"DOCMILL_VLM_URL", "http://gpu:8000/v1/"}});
  ASSERT_TRUE(with_url) << with_url.error().message;
  EXPECT_EQ(with_url->engine, EngineKind::kVlm);  // auto
  EXPECT_EQ(with_url->vlm.url, "http://gpu:8000/v1");

  auto chosen = make_serve_config(
      {{"DOCMILL_VLM_URL", "http://gpu:8000/v1"}, {"DOCMILL_ENGINE", "tesseract"}});
  ASSERT_TRUE(chosen);
  EXPECT_EQ(chosen->engine, EngineKind::kTesseract);
  EXPECT_TRUE(chosen->vlm.configured());  // uploads may still ask for it

  auto no_url = make_serve_config({{"DOCMILL_ENGINE", "vlm"}});
  ASSERT_FALSE(no_url);
  EXPECT_NE(no_url.error().message.find("DOCMILL_VLM_URL"), std::string::npos);
}

TEST(ServeConfig, ReadsTheModelServerSettings) {
  auto c = make_serve_config({{"DOCMILL_VLM_URL", "https://gpu/v1"},
                              {"DOCMILL_VLM_MODEL", "deepseek-ai/DeepSeek-OCR"},
                              {"DOCMILL_VLM_API_KEY", "k"},
                              {"DOCMILL_VLM_CONCURRENCY", "64"},
                              {"DOCMILL_VLM_TIMEOUT_SECONDS", "90"},
                              {"DOCMILL_VLM_MAX_TOKENS", "4000"},
                              {"DOCMILL_VLM_DPI", "200"},
                              {"DOCMILL_VLM_MAX_SIDE", "1280"},
                              {"DOCMILL_VLM_FALLBACK", "fail"},
                              {"DOCMILL_VLM_PROTOCOL", "markdown"},
                              {"DOCMILL_VLM_TEXT_LAYER", "ignore"},
                              {"DOCMILL_VLM_RETRY_TEMPERATURE", "0.3"}});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->vlm.model, "deepseek-ai/DeepSeek-OCR");
  EXPECT_EQ(c->vlm.api_key, "k");
  EXPECT_EQ(c->vlm.concurrency, 64);
  EXPECT_EQ(c->vlm.timeout, std::chrono::seconds(90));
  EXPECT_EQ(c->vlm.max_tokens, 4000);
  EXPECT_EQ(c->vlm.dpi, 200);
  EXPECT_EQ(c->vlm.max_side, 1280);
  EXPECT_EQ(c->vlm.fallback, VlmFallback::kFail);
  EXPECT_EQ(c->vlm.protocol, VlmProtocol::kMarkdown);
  EXPECT_EQ(c->vlm.text_layer, VlmTextLayer::kIgnore);
  EXPECT_DOUBLE_EQ(c->vlm.retry_temperature, 0.3);

  auto defaults = make_serve_config({{"DOCMILL_VLM_URL", "http://gpu/v1"}});
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->vlm.concurrency, 16);
  EXPECT_EQ(defaults->vlm.timeout, std::chrono::seconds(300));
  EXPECT_EQ(defaults->vlm.max_tokens, 6000);
  EXPECT_EQ(defaults->vlm.fallback, VlmFallback::kTesseract);
  EXPECT_EQ(defaults->vlm.protocol, VlmProtocol::kDeepseek);
  EXPECT_EQ(defaults->vlm.text_layer, VlmTextLayer::kMerge);
}

TEST(ServeConfig, ABadModelServerSettingIsNamed) {
  const std::pair<const char*, const char*> bad[] = {
      {"DOCMILL_ENGINE", "gpu"},         {"DOCMILL_VLM_URL", "gpu-host:8000"},
      {"DOCMILL_VLM_CONCURRENCY", "0"},  {"DOCMILL_VLM_TIMEOUT_SECONDS", "x"},
      {"DOCMILL_VLM_FALLBACK", "retry"}, {"DOCMILL_VLM_PROTOCOL", "olmocr"},
      {"DOCMILL_VLM_TEXT_LAYER", "yes"}, {"DOCMILL_VLM_RETRY_TEMPERATURE", "3"},
      {"DOCMILL_VLM_MAX_SIDE", "10"},
  };
  for (const auto& [name, value] : bad) {
    SettingValues values{{"DOCMILL_VLM_URL", "http://gpu/v1"}};
    values[name] = value;
    auto c = make_serve_config(values);
    ASSERT_FALSE(c) << name << "=" << value;
    EXPECT_NE(c.error().message.find(name), std::string::npos) << c.error().message;
  }
}

}  // namespace
}  // namespace docmill
