// fake_s3_server: the fake S3-compatible object store of the tests (support/fake_s3_server.h)
// as a program, for bench/scale_bench.sh or a try by hand. It prints "port N" once it listens,
// then serves one bucket from memory, checking every request's signature, until SIGTERM, SIGINT
// or the end of its stdin (support/program_end.h); then it prints "summary objects=...
// puts=... gets=... rejected=..." and exits 0.
#include <cstdio>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "support/fake_s3_server.h"
#include "support/program_end.h"

int main(int argc, char** argv) {
  using namespace docmill::testing;
  CLI::App app{"A fake S3-compatible object store: one bucket, in memory, SigV4 checked"};
  std::string bucket = "docmill";
  FakeS3Credentials credentials;
  bool no_stdin = false;
  app.add_option("--bucket", bucket, "the bucket it serves");
  app.add_option("--access-key", credentials.access_key, "the access key requests must sign with");
  app.add_option("--secret-key", credentials.secret_key, "the secret key requests must sign with");
  app.add_option("--region", credentials.region, "the region requests must be signed for");
  app.add_flag("--no-stdin", no_stdin, "do not stop at the end of stdin");
  CLI11_PARSE(app, argc, argv);

  // Before any thread starts, so they all inherit its signal mask.
  const ProgramEnd end;
  if (!end.ok()) {
    fmt::print(stderr, "fake_s3_server: signalfd failed\n");
    return 1;
  }
  FakeS3Server server(bucket, credentials);
  if (!server.start()) {
    fmt::print(stderr, "fake_s3_server: cannot listen on 127.0.0.1\n");
    return 1;
  }
  fmt::print("port {}\n", server.port());
  std::fflush(stdout);
  end.wait(!no_stdin);
  server.stop();
  fmt::print("summary objects={} puts={} gets={} rejected={}\n", server.keys().size(),
             server.requests("PUT"), server.requests("GET"), server.rejected());
  std::fflush(stdout);
  return 0;
}
