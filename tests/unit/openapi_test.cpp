// The OpenAPI document against the code: it parses, it is the file in the source tree, and it
// describes exactly the routes Api::install registers, with their authentication.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/openapi_document.h"
#include "api/route_pattern.h"
#include "api/routes.h"
#include "api/web_assets.h"
#include "support/pdf_factory.h"

namespace docmill {
namespace {

using nlohmann::json;
using Operation = std::pair<std::string, std::string>;  // method, path template

// Operation keys of an OpenAPI path item; anything else there (parameters, summary) is not one.
constexpr std::array<std::string_view, 8> kMethods = {"get",     "put",  "post",  "delete",
                                                      "options", "head", "patch", "trace"};

json document() {
  return json::parse(openapi_document());
}

std::set<Operation> documented_operations(const json& doc) {
  std::set<Operation> ops;
  for (const auto& [path, item] : doc.at("paths").items()) {
    for (const auto& [key, op] : item.items()) {
      if (std::ranges::find(kMethods, key) != kMethods.end()) ops.emplace(key, path);
    }
  }
  return ops;
}

std::set<Operation> routed_operations() {
  std::set<Operation> ops;
  for (const Route& r : Api::routes()) {
    ops.emplace(std::string(openapi_name(r.method)), std::string(r.path));
  }
  return ops;
}

std::string listed(const std::set<Operation>& ops) {
  std::string out;
  for (const auto& [method, path] : ops) out += fmt::format("\n  {} {}", method, path);
  return out;
}

TEST(OpenApi, DocumentIsOpenApi31Json) {
  const json doc = json::parse(openapi_document(), nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << "src/api/openapi.json is not valid JSON";
  EXPECT_TRUE(doc.at("openapi").get<std::string>().starts_with("3.1.")) << doc["openapi"];
  EXPECT_EQ(doc.at("info").at("title"), "docmill API");
  // Relative: "Try it out" in /docs goes to the server that served the page.
  EXPECT_EQ(doc.at("servers").at(0).at("url"), "/");
  EXPECT_EQ(doc.at("components").at("securitySchemes").at("bearerAuth").at("scheme"), "bearer");
}

TEST(OpenApi, CompiledInDocumentIsTheSourceFile) {
  EXPECT_EQ(openapi_document(), testing::read_bytes(DOCMILL_OPENAPI_FILE))
      << "the build embeds a different text than " << DOCMILL_OPENAPI_FILE;
}

TEST(OpenApi, EveryRouteIsDocumented) {
  const auto documented = documented_operations(document());
  std::set<Operation> missing;
  std::ranges::set_difference(routed_operations(), documented,
                              std::inserter(missing, missing.end()));
  EXPECT_TRUE(missing.empty()) << "routes openapi.json does not describe:" << listed(missing);
}

TEST(OpenApi, EveryDocumentedOperationIsARoute) {
  const auto routed = routed_operations();
  std::set<Operation> missing;
  std::ranges::set_difference(documented_operations(document()), routed,
                              std::inserter(missing, missing.end()));
  EXPECT_TRUE(missing.empty()) << "operations in openapi.json no route answers:" << listed(missing);
}

// The pre-routing handler lets the public paths through without a token and answers 401 on
// every other: the document must say the same of each operation.
TEST(OpenApi, OnlyPublicPathsNeedNoTokenAndTheOthersAnswer401) {
  const json doc = document();
  ASSERT_EQ(doc.at("security"), json::parse(R"([{"bearerAuth": []}])"));
  for (const auto& [method, path] : documented_operations(doc)) {
    const json& op = doc["paths"][path][method];
    const bool open = op.contains("security") && op["security"].empty();
    EXPECT_EQ(open, is_public_path(path)) << method << " " << path;
    EXPECT_EQ(op.at("responses").contains("401"), !open) << method << " " << path;
  }
}

TEST(OpenApi, EveryJobOperationAnswersUnknownJobsWith404) {
  const json doc = document();
  for (const auto& [method, path] : documented_operations(doc)) {
    if (path.find("{job_id}") == std::string::npos) continue;
    EXPECT_TRUE(doc["paths"][path][method].at("responses").contains("404"))
        << method << " " << path;
  }
}

TEST(RoutePattern, ParametersBecomeGroupsAndTheRestIsLiteral) {
  EXPECT_EQ(route_pattern("/health"), "/health");
  EXPECT_EQ(route_pattern("/openapi.json"), R"(/openapi\.json)");
  EXPECT_EQ(route_pattern("/result/{job_id}"), "/result/([^/]+)");
  EXPECT_EQ(route_pattern("/result/{job_id}/status"), "/result/([^/]+)/status");
  EXPECT_EQ(route_pattern("/result/{job_id}/images/{image_name}"), "/result/([^/]+)/images/(.+)");

  const std::regex dot(route_pattern("/openapi.json"));
  EXPECT_TRUE(std::regex_match("/openapi.json", dot));
  EXPECT_FALSE(std::regex_match("/openapiXjson", dot));

  const std::regex status(route_pattern("/result/{job_id}/status"));
  std::cmatch m;
  ASSERT_TRUE(std::regex_match("/result/abc/status", m, status));
  EXPECT_EQ(m[1].str(), "abc");
  EXPECT_FALSE(std::regex_match("/result/a/b/status", status));

  // Any name after images/ reaches the image handler, which refuses what is not an image name.
  const std::regex image(route_pattern("/result/{job_id}/images/{image_name}"));
  ASSERT_TRUE(std::regex_match("/result/abc/images/../input.pdf", m, image));
  EXPECT_EQ(m[1].str(), "abc");
  EXPECT_EQ(m[2].str(), "../input.pdf");
}

TEST(RoutePattern, EveryRouteMatchesItsOwnPathWithValuesFilledIn) {
  for (const Route& r : Api::routes()) {
    const std::string path =
        std::regex_replace(std::string(r.path), std::regex(R"(\{[^}]+\})"), "x1");
    EXPECT_TRUE(std::regex_match(path, std::regex(route_pattern(r.path)))) << r.path;
  }
}

}  // namespace
}  // namespace docmill
