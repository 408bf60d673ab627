// Every case of the hostile corpus (support/hostile_corpus.h) through the real `docmill convert`
// binary, one process per case, with the limits a small machine would set: no case may crash or
// hang it, and each ends the way a user should see it end (exit status, one line of reason, the
// damaged pages marked in pages.json, the outputs written).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/conversion.h"
#include "support/hostile_corpus.h"
#include "support/pdf_factory.h"
#include "support/temp_dir.h"

namespace docmill {
namespace {

using namespace docmill::testing;

// Past this a run counts as hung and is killed: three times the page limit below, so a page
// that hits the limit, and its one retry, still fit.
constexpr auto kHangLimit = std::chrono::seconds(60);

struct ConvertRun {
  std::optional<int> exit_code;  // set when the process exited
  std::optional<int> signal;     // set when a signal ended it
  bool hung = false;             // killed after kHangLimit
  std::string err;               // its stderr
};

// `docmill convert input -o out` with the limits of the issue, in a process group of its own
// (so that a hung run is killed with any worker it started), stdout and stderr to files.
ConvertRun run_convert(const std::filesystem::path& input, const std::filesystem::path& out,
                       const std::filesystem::path& logs) {
  const std::vector<std::string> args = {
      DOCMILL_BINARY, "convert", input.string(),   "-o", out.string(), "--threads", "1",
      "--max-pages",  "2000",    "--page-timeout", "20"};
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const auto out_file = logs / "stdout.txt";
  const auto err_file = logs / "stderr.txt";
  const int out_fd = open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const int err_fd = open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out_fd < 0 || err_fd < 0) throw std::runtime_error("cannot create the log files");

  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork() failed");
  if (pid == 0) {
    setpgid(0, 0);
    dup2(out_fd, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  setpgid(pid, pid);  // also here, so that the group exists before any kill below
  close(out_fd);
  close(err_fd);

  ConvertRun run;
  const auto deadline = std::chrono::steady_clock::now() + kHangLimit;
  int status = 0;
  while (true) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0) throw std::runtime_error("waitpid failed");
    if (std::chrono::steady_clock::now() >= deadline) {
      run.hung = true;
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(-pid, SIGKILL);  // anything of its group still alive (a stray worker) goes too
  if (!run.hung) {
    if (WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) run.signal = WTERMSIG(status);
  }
  run.err = read_bytes(err_file);
  return run;
}

std::string describe(const ConvertRun& run) {
  std::string s = run.hung ? fmt::format("hung (killed after {} s)", kHangLimit.count())
                  : run.signal
                      ? fmt::format("killed by signal {} ({})", *run.signal, strsignal(*run.signal))
                      : fmt::format("exit {}", run.exit_code.value_or(-1));
  return s + "; stderr:\n" + run.err;
}

int count_lines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n')) +
         (!text.empty() && text.back() != '\n' ? 1 : 0);
}

class HostileConvert : public ::testing::TestWithParam<HostileCase> {};

TEST_P(HostileConvert, EndsAsAUserExpects) {
  const HostileCase& c = GetParam();
#if defined(__SANITIZE_ADDRESS__)
  if (c.slow_under_sanitizers) GTEST_SKIP() << "too slow under ASan+UBSan: " << c.why;
#endif
  const auto bytes = c.make();
  if (!bytes) GTEST_SKIP() << "qpdf is not installed (apt-get install qpdf)";
  TempDir dir;
  const auto input = dir / (c.name + ".pdf");
  const auto out = dir / "out";
  write_bytes(input, *bytes);
  SCOPED_TRACE(fmt::format("case {} ({}, expected {}): {}", c.name, c.category,
                           to_string(c.expected), c.why));

  const ConvertRun run = run_convert(input, out, dir.path());
  ASSERT_FALSE(run.hung) << describe(run);
  ASSERT_FALSE(run.signal) << describe(run);
  ASSERT_TRUE(run.exit_code);

  if (c.expected == HostileOutcome::kRefused) {
    EXPECT_EQ(*run.exit_code, 1) << describe(run);
    EXPECT_EQ(count_lines(run.err), 1) << "exactly one line says why; stderr:\n" << run.err;
    if (!c.convert_reason.empty()) {
      EXPECT_TRUE(contains_ci(run.err, c.convert_reason))
          << "the reason names '" << c.convert_reason << "'; stderr:\n"
          << run.err;
    }
    for (const char* f : {"output.md", "output_det.md", "layout.pdf", "pages.json"}) {
      EXPECT_FALSE(std::filesystem::exists(out / f)) << f << " written for a refused file";
    }
    return;
  }

  const int want_exit = c.expected == HostileOutcome::kConverted ? 0 : 3;
  EXPECT_EQ(*run.exit_code, want_exit) << describe(run);
  for (const char* f : {"output.md", "output_det.md", "layout.pdf", "pages.json"}) {
    EXPECT_TRUE(std::filesystem::exists(out / f)) << f << " missing; " << describe(run);
  }
  const auto pages = nlohmann::json::parse(read_bytes(out / "pages.json"), nullptr, false);
  ASSERT_TRUE(pages.is_array()) << "pages.json is not a JSON array";
  if (c.pages > 0) {
    EXPECT_EQ(static_cast<int>(pages.size()), c.pages);
  }
  std::set<int> failed;
  for (size_t i = 0; i < pages.size(); ++i) {
    const auto& p = pages[i];
    if (p.value("method", "") == "failed" || p["error"].is_string()) {
      failed.insert(static_cast<int>(i) + 1);
      EXPECT_TRUE(p["error"].is_string() && !p["error"].get<std::string>().empty())
          << "a failed page says why: " << p.dump();
    }
  }
  const auto listed = [](const std::set<int>& s) {
    std::string out;
    for (int p : s) out += (out.empty() ? "" : ",") + std::to_string(p);
    return out.empty() ? std::string("none") : out;
  };
  switch (c.expected) {
    case HostileOutcome::kFailed:
      EXPECT_EQ(static_cast<int>(failed.size()), static_cast<int>(pages.size()))
          << "every page fails; failed: " << listed(failed);
      break;
    case HostileOutcome::kDamagedPagesNamed: {
      const std::set<int> want(c.damaged_pages.begin(), c.damaged_pages.end());
      EXPECT_EQ(listed(failed), listed(want)) << "exactly the lost pages fail";
      break;
    }
    default:
      EXPECT_TRUE(failed.empty()) << "pages failed: " << listed(failed) << "\n" << pages.dump(1);
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, HostileConvert, ::testing::ValuesIn(hostile_corpus()),
                         [](const auto& info) { return info.param.name; });

// The fuzzer's findings (tests/hostile/*.pdf, see scripts/fuzz.sh): each once crashed or aborted
// docmill. Whatever else they do, they end with one of convert's exit statuses.
std::vector<std::filesystem::path> fuzzer_findings() {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(DOCMILL_HOSTILE_DIR, ec)) {
    if (e.path().extension() == ".pdf") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class FuzzerFinding : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(FuzzerFinding, ConvertsOrFailsCleanly) {
  TempDir dir;
  const ConvertRun run = run_convert(GetParam(), dir / "out", dir.path());
  ASSERT_FALSE(run.hung) << describe(run);
  ASSERT_FALSE(run.signal) << describe(run);
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 1 || run.exit_code == 3) << describe(run);
  if (run.exit_code == 1) {
    EXPECT_EQ(count_lines(run.err), 1) << run.err;
  }
}

INSTANTIATE_TEST_SUITE_P(Regressions, FuzzerFinding, ::testing::ValuesIn(fuzzer_findings()),
                         [](const auto& info) { return info.param.stem().string(); });

TEST(HostileCorpus, HasEnoughCasesWithUniqueNames) {
  const auto corpus = hostile_corpus();
  EXPECT_GE(corpus.size(), 50u);
  std::set<std::string> names;
  for (const auto& c : corpus) {
    EXPECT_TRUE(names.insert(c.name).second) << "duplicate " << c.name;
    EXPECT_FALSE(c.why.empty()) << c.name;
    if (c.expected == HostileOutcome::kDamagedPagesNamed) {
      EXPECT_FALSE(c.damaged_pages.empty()) << c.name;
      EXPECT_GT(c.pages, 0) << c.name;
    }
  }
  for (HostileOutcome o : {HostileOutcome::kRefused, HostileOutcome::kFailed,
                           HostileOutcome::kDamagedPagesNamed, HostileOutcome::kConverted}) {
    EXPECT_TRUE(std::any_of(corpus.begin(), corpus.end(),
                            [o](const HostileCase& c) { return c.expected == o; }))
        << "no case expects " << to_string(o);
  }
}

TEST(HostileCorpus, NamesPageFindsListedPagesOnly) {
  const std::string msg =
      "2 of 13 pages could not be processed and are marked in the outputs: page 3: the page "
      "crashed the worker (SIGSEGV); page 11: damaged";
  EXPECT_TRUE(names_page(msg, 3));
  EXPECT_TRUE(names_page(msg, 11));
  EXPECT_FALSE(names_page(msg, 1));
  EXPECT_FALSE(names_page(msg, 2));
  EXPECT_FALSE(names_page(msg, 13));
  EXPECT_TRUE(names_page("pages 4-6 and 9 are missing", 5));
  EXPECT_TRUE(names_page("pages 4-6 and 9 are missing", 9));
  EXPECT_FALSE(names_page("pages 4-6 and 9 are missing", 7));
}

}  // namespace
}  // namespace docmill
