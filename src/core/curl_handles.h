#pragma once
// libcurl's handles as owning pointers, and a header list that grows without leaking: what
// every HTTP client of docmill (model server, webhooks, object storage) is built from.
#include <curl/curl.h>

#include <memory>
#include <string>

namespace docmill::curl {

struct EasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct MultiDeleter {
  void operator()(CURLM* multi) const { curl_multi_cleanup(multi); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Easy = std::unique_ptr<CURL, EasyDeleter>;
using Multi = std::unique_ptr<CURLM, MultiDeleter>;
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

// Adds a line; on allocation failure the list stays as it was.
inline void append(Slist& list, const std::string& line) {
  if (curl_slist* grown = curl_slist_append(list.get(), line.c_str())) {
    (void)list.release();
    list.reset(grown);
  }
}

// libcurl's global state is reference-counted and, in the versions docmill builds against
// (feature "threadsafe", 7.84+), safe to set up from any thread: each client holds a reference.
class GlobalInit {
 public:
  GlobalInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  ~GlobalInit() { curl_global_cleanup(); }
  GlobalInit(const GlobalInit&) = delete;
  GlobalInit& operator=(const GlobalInit&) = delete;
};

}  // namespace docmill::curl
