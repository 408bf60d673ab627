#pragma once
// The few calls of the S3 API that docmill's blob store needs, over libcurl, signed with AWS
// Signature Version 4 (CURLOPT_AWS_SIGV4). Path-style addressing (endpoint/bucket/key), which
// AWS, MinIO, Ceph and Garage all answer. Bodies stream from and to files, never whole in
// memory. A request that fails in a way worth repeating (no connection, 5xx, 429) is tried
// three times, with a short pause between tries.
#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/curl_handles.h"
#include "core/error.h"
#include "core/s3_settings.h"

namespace docmill {

struct S3Object {
  std::string key;
  std::chrono::system_clock::time_point modified;
  long long size = 0;
};

class S3Client {
 public:
  explicit S3Client(S3Settings settings);

  Status put_file(std::string_view key, const std::filesystem::path& file);
  // Written to a temporary file beside `to`, renamed over it once complete. kNotFound when
  // the bucket has no such key.
  Status get_file(std::string_view key, const std::filesystem::path& to);
  // Succeeds whether or not the key existed.
  Status remove(std::string_view key);
  // Every key that starts with `prefix`, in key order (all pages of the listing).
  Result<std::vector<S3Object>> list(std::string_view prefix);
  // The bucket exists and these credentials may read it: one try, not three.
  Status check_bucket();

  // "bucket B at ENDPOINT", for messages.
  std::string describe() const;

 private:
  struct Answer {
    long status = 0;
    std::string body;  // error bodies and listings; an object's bytes go to its file
  };
  enum class Method { kGet, kPut, kHead, kDelete };
  // One signed request, tried up to three times. `upload`: a file sent as the body (PUT);
  // `download`: a file the body of a 200 goes to.
  Result<Answer> request(Method method, const std::string& path_and_query,
                         const std::filesystem::path* upload,
                         const std::filesystem::path* download);
  Result<Answer> attempt(Method method, const std::string& url, const std::filesystem::path* upload,
                         const std::filesystem::path* download);
  std::string object_path(std::string_view key) const;
  // "S3 PUT key: 403 AccessDenied: ..." with what to check for the usual causes.
  Error answer_error(std::string_view what, const Answer& answer) const;

  curl::GlobalInit curl_;
  S3Settings settings_;
};

// Percent-encodes as SigV4 canonicalises: unreserved characters (A-Z a-z 0-9 - _ . ~) stay,
// '/' stays when `keep_slash`, every other byte becomes %XX.
std::string s3_uri_encode(std::string_view s, bool keep_slash);

}  // namespace docmill
