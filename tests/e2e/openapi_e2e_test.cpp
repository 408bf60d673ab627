// The OpenAPI document against the real server: every operation it describes is answered (not
// by the router's own 404), with a status it documents and with the authentication it claims;
// /openapi.json and the Swagger UI page at /docs are served without a token. The /static/ file
// mounts (web/ and the vendored JavaScript) are not API routes, so the document leaves them out
// and this test does not look for them there.
#include <gtest/gtest.h>

#include <regex>

#include "api/openapi_document.h"
#include "core/config.h"
#include "core/ids.h"
#include "e2e/e2e_fixture.h"

namespace docmill::testing {
namespace {

using nlohmann::json;

constexpr const char* kToken = "openapi-e2e-token";

class OpenApiE2e : public E2eTest {};

// The path with each parameter filled in: a well-formed job id no job has, an image name of
// the form the pipeline writes.
std::string filled(std::string path, const std::string& job_id) {
  for (const auto& [param, value] :
       {std::pair<std::string, std::string>{"{job_id}", job_id}, {"{image_name}", "0_0.jpg"}}) {
    for (auto at = path.find(param); at != std::string::npos; at = path.find(param)) {
      path.replace(at, param.size(), value);
    }
  }
  EXPECT_EQ(path.find('{'), std::string::npos) << "no test value for a parameter of " << path;
  return path;
}

httplib::Result call(httplib::Client& c, const std::string& method, const std::string& path) {
  if (method == "get") return c.Get(path);
  // /process_pdf without a multipart body: the upload handler's own 400.
  if (method == "post") return c.Post(path, "", "text/plain");
  if (method == "delete") return c.Delete(path);
  ADD_FAILURE() << "the test cannot send " << method << " " << path;
  return httplib::Result(nullptr, httplib::Error::Unknown);
}

// What routes.cpp's error handler answers when no route matches.
bool is_router_404(const httplib::Result& res) {
  return res->status == 404 &&
         json_of(res) == json{{"detail", "Not Found"}, {"error", "not_found"}};
}

TEST_F(OpenApiE2e, EveryDocumentedOperationIsAnsweredWithItsDocumentedStatusAndAuth) {
  start_server({{"AUTH_TOKEN", kToken}});
  auto bare = bare_client();
  const json doc = json_of(bare.Get("/openapi.json"));
  ASSERT_TRUE(doc.contains("paths")) << "/openapi.json did not answer with the document";
  const std::string unknown_job = new_job_id();
  int operations = 0;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      if (!op.is_object() || !op.contains("responses")) continue;  // not an operation
      ++operations;
      const std::string what = method + " " + path;
      const std::string url = filled(path, unknown_job);
      const bool open = op.contains("security") && op["security"].empty();

      auto without = call(bare, method, url);
      ASSERT_TRUE(without) << what << ": no answer";
      if (open) {
        EXPECT_NE(without->status, 401) << what << " is documented as needing no token";
      } else {
        EXPECT_EQ(without->status, 401) << what << " is documented as needing the token";
      }

      auto with = call(*client_, method, url);
      ASSERT_TRUE(with) << what << ": no answer";
      EXPECT_FALSE(is_router_404(with)) << what << ": no route answers it";
      EXPECT_TRUE(op["responses"].contains(std::to_string(with->status)))
          << what << " answered " << with->status << ", which it does not document: " << with->body;
    }
  }
  EXPECT_GT(operations, 10);
}

TEST_F(OpenApiE2e, OpenApiJsonIsTheCompiledInDocumentWithoutAToken) {
  start_server({{"AUTH_TOKEN", kToken}});
  auto bare = bare_client();
  auto res = bare.Get("/openapi.json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(res->body, openapi_document());
}

TEST_F(OpenApiE2e, DocsPageLoadsSwaggerUiFromThisServerOnly) {
  start_server({{"AUTH_TOKEN", kToken}});
  auto bare = bare_client();
  auto page = bare.Get("/docs");
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_TRUE(page->get_header_value("Content-Type").starts_with("text/html"));
  EXPECT_NE(page->body.find("<title>docmill API</title>"), std::string::npos);

  // Every file the page loads, and every link on it, is on this server (an air-gapped one has
  // no CDN).
  const std::regex ref(R"re((?:src|href)="([^"]*)")re");
  for (auto it = std::sregex_iterator(page->body.begin(), page->body.end(), ref);
       it != std::sregex_iterator(); ++it) {
    const std::string url = (*it)[1].str();
    EXPECT_TRUE(url.starts_with("/") && !url.starts_with("//")) << "not from this server: " << url;
  }
  const std::regex loaded(R"re(<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]*)")re");
  std::vector<std::string> files;
  for (auto it = std::sregex_iterator(page->body.begin(), page->body.end(), loaded);
       it != std::sregex_iterator(); ++it) {
    files.push_back((*it)[1].str());
  }
  for (const char* needed : {"/static/vendor/swagger-ui/swagger-ui-bundle.js",
                             "/static/vendor/swagger-ui/swagger-ui.css", "/static/docs.js"}) {
    EXPECT_NE(std::ranges::find(files, needed), files.end()) << needed;
  }
  const bool swagger_installed =
      std::filesystem::exists(default_web_dir() / "node_modules" / "swagger-ui-dist");
  for (const auto& url : files) {
    if (!swagger_installed && url.starts_with("/static/vendor/swagger-ui/")) continue;
    auto res = bare.Get(url);
    ASSERT_TRUE(res) << url;
    EXPECT_EQ(res->status, 200) << url;
  }
  if (!swagger_installed) {
    GTEST_SKIP() << "Swagger UI is not installed in " << default_web_dir().string()
                 << "/node_modules (scripts/setup.sh runs npm ci in web/)";
  }
}

}  // namespace
}  // namespace docmill::testing
