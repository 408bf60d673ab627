// The web page's files over HTTP from the real binary: they load without the token while the
// API still needs it, the libraries come from this server, nothing outside the mounted folders
// can be read through them, and big scripts are not brotli-compressed (8 s for pdf.js).
#include <gtest/gtest.h>

#include "e2e/e2e_fixture.h"

namespace docmill::testing {
namespace {

class WebPage : public E2eTest {};

TEST_F(WebPage, LoadsWithoutTheTokenWhileTheApiNeedsIt) {
  start_server({{"AUTH_TOKEN", "page-secret"}});
  // A browser's first visit: no Authorization header.
  httplib::Client browser("127.0.0.1", server_->port());
  auto page = browser.Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->get_header_value("Content-Type").find("text/html"), std::string::npos);
  EXPECT_NE(page->body.find("/static/js/main.js"), std::string::npos);
  for (const char* path :
       {"/static/js/main.js", "/static/style.css", "/static/vendor/marked/marked.min.js",
        "/static/vendor/katex/katex.min.js", "/static/vendor/pdfjs/build/pdf.worker.js"}) {
    auto r = browser.Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 200) << path;
    EXPECT_FALSE(r->body.empty()) << path;
  }
  auto tasks = browser.Get("/tasks");
  ASSERT_TRUE(tasks);
  EXPECT_EQ(tasks->status, 401);
}

TEST_F(WebPage, StaticFilesStayInsideTheirFolders) {
  start_server({{"AUTH_TOKEN", "page-secret"}});
  httplib::Client browser("127.0.0.1", server_->port());
  for (const char* path :
       {"/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd",
        "/static/vendor/katex/../../../../../etc/passwd", "/static/vendor/nothing-here.js"}) {
    auto r = browser.Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_NE(r->status, 200) << path;
    EXPECT_EQ(r->body.find("root:"), std::string::npos) << path;
  }
}

TEST_F(WebPage, ScriptsAreGzippedNotBrotliCompressed) {
  start_server();
  auto r = client_->Get("/static/vendor/pdfjs/build/pdf.worker.js",
                        {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->get_header_value("Content-Encoding"), "br");
}

}  // namespace
}  // namespace docmill::testing
