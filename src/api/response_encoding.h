#pragma once
// Which compression httplib may apply to a response. httplib compresses with brotli at its
// highest quality whenever a client accepts `br`, as every browser does: 8 s for pdf.js's
// 1.9 MB worker script, and seconds for a large document's markdown. gzip at zlib's default
// level does the same file in about 60 ms and saves nearly as much.
#include <httplib.h>

namespace docmill {

// Removes `br` from the request's Accept-Encoding, so that httplib answers with gzip (or
// uncompressed) instead. Called before routing, on every request.
void refuse_brotli(httplib::Request& req);

}  // namespace docmill
