#pragma once
// A fake S3-compatible object store, in-process, for tests: one bucket, path-style addressing
// (http://127.0.0.1:PORT/<bucket>/<key>), objects in memory. It speaks just enough of S3 for
// docmill's blob store: PutObject, GetObject (Range too), HeadObject, DeleteObject, HeadBucket,
// GetBucketLocation, ListObjectsV2 (prefix, max-keys, continuation-token, start-after,
// encoding-type=url; no delimiter) and ListBuckets. Anything else (multipart uploads,
// CopyObject, DeleteObjects, aws-chunked bodies) is answered 501 NotImplemented, so a client
// that needs it fails loudly instead of seeming to work.
//
// Every request must carry an AWS Signature Version 4 Authorization header, checked in full and
// as strictly as S3 checks it, so that a test also proves the client signs right:
// - the query is canonicalised as S3 does it (decoded, encoded again, sorted, "name=" when
//   bare): a client that signs its query as sent (libcurl 7.88's CURLOPT_AWS_SIGV4 does) must
//   send it canonical already;
// - the payload hash is the x-amz-content-sha256 header (a hex SHA-256 that must match the body,
//   or UNSIGNED-PAYLOAD); without the header, the body's SHA-256;
// - host and every x-amz-* header that is sent must be signed, and every signed header sent.
// A SignatureDoesNotMatch answer carries the canonical request the server expected, as S3's
// does; last_rejection() has it too.
//
//   FakeS3Server s3;                          // bucket "docmill", 127.0.0.1, a random port
//   ASSERT_TRUE(s3.start());
//   s3.put_object("jobs/old/input.pdf", "%PDF-");
//   s3.age_objects(std::chrono::hours(2));    // old enough for the reaper
//   s3.fail_next(2, 503);                     // the next two object requests get SlowDown
//   S3Client client({.endpoint = s3.endpoint(), .bucket = s3.bucket(), ...});
//   ...
//   EXPECT_EQ(s3.keys(), std::vector<std::string>{"jobs/new/input.pdf"});
//   EXPECT_EQ(s3.rejected(), 0) << s3.last_rejection();
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}

namespace docmill::testing {

// What a client must sign with. Outside the class only because GCC 12 refuses `= {}` as a
// default argument when the type is a nested class with member initializers (they are not
// usable before the enclosing class is complete); FakeS3Server::Credentials names it.
struct FakeS3Credentials {
  std::string access_key = "AKIDDOCMILLTEST";
  std::string secret_key = "docmill-test-secret";
  std::string region = "us-east-1";
};

class FakeS3Server {
 public:
  using Credentials = FakeS3Credentials;

  explicit FakeS3Server(std::string bucket = "docmill", Credentials credentials = {});
  ~FakeS3Server();  // stops
  FakeS3Server(const FakeS3Server&) = delete;
  FakeS3Server& operator=(const FakeS3Server&) = delete;

  // Listens on a random free port the first time, on the same port after a stop(); false when
  // it cannot bind. Objects and counters are kept across restarts.
  bool start();
  // Stops listening and waits for the handlers to finish.
  void stop();
  bool running() const;

  int port() const { return port_; }
  std::string endpoint() const;  // "http://127.0.0.1:PORT"
  const std::string& bucket() const { return bucket_; }
  const Credentials& credentials() const { return credentials_; }

  // The objects, straight from memory (no signature, no counting).
  std::vector<std::string> keys() const;  // sorted byte-wise, as S3 lists them
  std::optional<std::string> object(const std::string& key) const;
  void put_object(const std::string& key, std::string bytes);  // LastModified: now
  // Every stored object looks `by` older (its LastModified moves back): for reaper tests.
  void age_objects(std::chrono::seconds by);

  // Requests by HTTP method ("GET", "PUT", "HEAD", "DELETE", ...), over all paths, refused
  // ones included.
  int requests(std::string_view method) const;
  // Requests refused by the signature check: a missing, malformed or wrong Authorization (403),
  // or a body that does not match its x-amz-content-sha256 (400 XAmzContentSHA256Mismatch).
  int rejected() const;
  // Why the latest refused request was refused, with the canonical request and string to sign
  // the server expected ("" when none was): for a test's failure message.
  std::string last_rejection() const;
  // The next n object requests (PUT/GET/HEAD/DELETE on a key) that pass the signature check are
  // answered with `status` (503: S3's SlowDown XML; 500: InternalError) and have no effect: for
  // retry tests.
  void fail_next(int n, int status);

 private:
  struct Shared;  // what handler threads touch, under one mutex
  std::shared_ptr<Shared> shared_;
  std::string bucket_;
  Credentials credentials_;
  int port_ = 0;
  std::unique_ptr<httplib::Server> server_;
  std::jthread listener_;
};

}  // namespace docmill::testing
