// fake_vlm_server: the fake OpenAI-compatible model server of the tests as a program, for the
// VLM benchmark or a try by hand. It prints "port N" once it listens, answers every chat
// completion with the same DeepSeek-format page after the given latency, and on SIGTERM,
// SIGINT or the end of its stdin prints "summary requests=... completions=...
// peak_in_flight=..." and exits 0 (support/program_end.h: when stdin counts).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "support/fake_vlm_server.h"
#include "support/program_end.h"

int main(int argc, char** argv) {
  using namespace docmill::testing;
  CLI::App app{
      "A fake OpenAI-compatible OCR model server (DeepSeek-OCR on vLLM, seen from outside)"};
  int port = 0;
  int latency_ms = 0;
  int jitter_ms = 0;
  std::string answer_file;
  std::optional<std::string> api_key;
  std::vector<std::string> models{"deepseek-ai/DeepSeek-OCR"};
  int threads = 256;
  bool no_stdin = false;
  app.add_option("--port", port, "port on 127.0.0.1; 0: a free one")->check(CLI::Range(0, 65535));
  app.add_option("--latency-ms", latency_ms, "time to answer a completion")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--jitter-ms", jitter_ms, "the latency varies uniformly by ± this")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--answer-file", answer_file, "DeepSeek-format content answered to every page")
      ->check(CLI::ExistingFile);
  app.add_option("--api-key", api_key, "require \"Authorization: Bearer KEY\"");
  app.add_option("--model", models, "model ids /v1/models lists (repeatable)");
  app.add_option("--threads", threads, "requests served at once at most")
      ->check(CLI::Range(1, 4096));
  app.add_flag("--no-stdin", no_stdin, "do not stop at the end of stdin");
  CLI11_PARSE(app, argc, argv);

  // Before any thread starts, so they all inherit its signal mask.
  const ProgramEnd end;
  if (!end.ok()) {
    fmt::print(stderr, "fake_vlm_server: signalfd failed\n");
    return 1;
  }

  std::string content = default_deepseek_answer();
  if (!answer_file.empty()) {
    std::FILE* in = std::fopen(answer_file.c_str(), "rb");
    if (!in) {
      fmt::print(stderr, "fake_vlm_server: cannot read {}\n", answer_file);
      return 1;
    }
    content.clear();
    char buffer[65536];
    for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, in)) > 0;) content.append(buffer, n);
    std::fclose(in);
  }

  FakeVlmServer server(FakeVlmOptions{.port = port,
                                      .models = models,
                                      .api_key = api_key,
                                      .threads = threads,
                                      .seed = static_cast<uint32_t>(::getpid())});
  server.set_default_reply(
      FakeReply::answer(std::move(content))
          .after(std::chrono::milliseconds(latency_ms), std::chrono::milliseconds(jitter_ms)));
  if (auto started = server.start(); !started) {
    fmt::print(stderr, "fake_vlm_server: {}\n", started.error().message);
    return 1;
  }
  fmt::print("port {}\n", server.port());
  std::fflush(stdout);

  end.wait(!no_stdin);
  server.stop();
  fmt::print("summary requests={} completions={} peak_in_flight={}\n", server.requests().size(),
             server.completion_count(), server.peak_in_flight());
  std::fflush(stdout);
  return 0;
}
