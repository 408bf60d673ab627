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
        "DOCMILL_MAX_QUEUED_JOBS"}) {
    EXPECT_TRUE(envs.contains(required)) << required;
  }
}

}  // namespace
}  // namespace docmill
