#include "api/web_assets.h"

#include <spdlog/spdlog.h>

#include <fmt/format.h>

#include <array>

#include "api/file_response.h"
#include "api/http_errors.h"
#include "core/error.h"

namespace docmill {
namespace {

struct Mount {
  std::string_view url;  // under /static/vendor/
  std::filesystem::path dir;
  std::string_view installed_by;
};

}  // namespace

void send_web_page(httplib::Response& res, const std::filesystem::path& file) {
  if (auto sent = send_file(res, file, "text/html; charset=utf-8"); !sent) {
    return send_error(res, 404, to_string(ErrorCode::kNotFound),
                      fmt::format("the web page is not installed: {} is missing (set "
                                  "DOCMILL_WEB_DIR to docmill's web/ folder)",
                                  file.string()));
  }
  res.status = 200;
  // The page changes with the binary; the browser asks again rather than keep an old one.
  res.set_header("Cache-Control", "no-cache");
}

bool is_public_path(std::string_view path) {
  return path == "/health" || path == "/" || path == "/docs" || path == "/openapi.json" ||
         path.starts_with("/static/");
}

void install_web_assets(httplib::Server& server, const WebAssets& assets) {
  const std::array<Mount, 4> vendor{{
      {"marked", assets.system_js_dir / "marked", "Debian's libjs-marked"},
      {"katex", assets.system_js_dir / "katex", "Debian's libjs-katex"},
      {"pdfjs", assets.system_js_dir / "pdf", "Debian's libjs-pdf"},
      {"swagger-ui", assets.web_dir / "node_modules" / "swagger-ui-dist", "npm (swagger-ui-dist)"},
  }};
  for (const auto& m : vendor) {
    if (!server.set_mount_point(fmt::format("/static/vendor/{}", m.url), m.dir.string())) {
      spdlog::warn("web page: {} is missing ({}; scripts/setup.sh installs it)", m.dir.string(),
                   m.installed_by);
    }
  }
  if (!server.set_mount_point("/static", assets.web_dir.string())) {
    spdlog::warn("web page: {} is missing; / and /docs answer 404 (set DOCMILL_WEB_DIR)",
                 assets.web_dir.string());
  }
  // Types httplib does not know; the rest (html, css, js, json, png, svg, woff) it does.
  server.set_file_extension_and_mimetype_mapping("mjs", "text/javascript");
  server.set_file_extension_and_mimetype_mapping("map", "application/json");
  server.set_file_extension_and_mimetype_mapping("ttf", "font/ttf");
  server.set_file_extension_and_mimetype_mapping("woff2", "font/woff2");
}

}  // namespace docmill
