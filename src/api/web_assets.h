#pragma once
// The browser side of docmill: the web page at /, the API docs page at /docs and the files
// they load under /static/. None of it holds data, so none of it needs the token: the page
// has to load before it can ask for one. Every API call the page makes still does.
#include <httplib.h>

#include <filesystem>
#include <string_view>

namespace docmill {

struct WebAssets {
  // docmill's own pages (web/ in the source tree); the libraries npm fetched for them are in
  // its node_modules/ (scripts/setup.sh).
  std::filesystem::path web_dir;
  // Debian's libjs-* packages (marked, KaTeX, pdf.js).
  std::filesystem::path system_js_dir = "/usr/share/javascript";
};

// Paths answered without authentication: /health, the pages and their static files.
bool is_public_path(std::string_view path);

// The /static/ mounts. A missing library is logged once, here, naming the command that
// installs it; the page then loads without it.
void install_web_assets(httplib::Server& server, const WebAssets& assets);

// Answers with one of the pages (`web_dir`/index.html for /, docs.html for /docs), or 404
// naming the missing file and DOCMILL_WEB_DIR.
void send_web_page(httplib::Response& res, const std::filesystem::path& file);

}  // namespace docmill
