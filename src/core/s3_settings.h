#pragma once
// Where an S3-compatible object store is and how to sign for it (DOCMILL_S3_*).
#include <string>

namespace docmill {

struct S3Settings {
  // "http://minio:9000", "https://s3.eu-west-1.amazonaws.com"; empty: no object store.
  std::string endpoint;
  std::string bucket;
  std::string region = "us-east-1";
  std::string access_key_id;
  std::string secret_access_key;

  bool configured() const { return !endpoint.empty(); }
};

}  // namespace docmill
