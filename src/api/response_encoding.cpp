#include "api/response_encoding.h"

#include <string>
#include <string_view>

namespace docmill {

void refuse_brotli(httplib::Request& req) {
  auto it = req.headers.find("Accept-Encoding");
  if (it == req.headers.end()) return;
  std::string kept;
  std::string_view rest = it->second;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const auto first = item.find_first_not_of(" \t");
    if (first == std::string_view::npos) continue;
    item.remove_prefix(first);
    const std::string_view coding = item.substr(0, item.find_first_of(" \t;"));
    if (coding == "br") continue;
    if (!kept.empty()) kept += ", ";
    kept += item;
  }
  it->second = kept;
}

}  // namespace docmill
