// The whole hostile corpus (support/hostile_corpus.h) uploaded to one `docmill serve`: every
// upload is refused or its job ends as the case expects, the server process never dies, no
// worker process grows past the memory limit, and a normal job still completes afterwards.
#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "e2e/e2e_fixture.h"
#include "support/conversion.h"
#include "support/hostile_corpus.h"
#include "support/pdf_factory.h"

namespace docmill::testing {
namespace {

#if defined(__SANITIZE_ADDRESS__)
// ASan's shadow memory and its quarantine of freed blocks about double what a worker holds: a
// page rendered at the full pixel budget needs more than 768 MiB there.
constexpr long kWorkerMemoryMb = 2048;
// Instrumented code is several times slower: a scan rendered at the full 50 MP budget ran past
// 20 s, and past 45 s beside another build (CI, 2 cores). A smaller budget keeps the case (a
// page larger than the budget, rendered at the dpi it allows, with a warning) at a quarter of
// the work.
constexpr const char* kPageTimeoutSeconds = "45";
constexpr const char* kRenderMegapixels = "12";
constexpr auto kJobsDeadline = std::chrono::seconds(300);
#else
constexpr long kWorkerMemoryMb = 768;
constexpr const char* kPageTimeoutSeconds = "20";
constexpr const char* kRenderMegapixels = "50";
// All jobs must have ended this long after the last upload (the corpus takes about a minute
// when every limit works; a hung page without a time limit would take forever).
constexpr auto kJobsDeadline = std::chrono::seconds(150);
#endif

// ---- memory of the server and its worker processes, from /proc ----

// Resident set size of `pid` in KiB (VmRSS); 0 when the process is gone.
long rss_kib(pid_t pid) {
  std::ifstream in(fmt::format("/proc/{}/status", pid));
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
  }
  return 0;
}

// The parent of `pid` from /proc/<pid>/stat (after the command name, which may hold spaces
// and parentheses: the last ')' ends it).
std::optional<pid_t> parent_of(pid_t pid) {
  std::ifstream in(fmt::format("/proc/{}/stat", pid));
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream rest(stat.substr(close + 1));
  char state = 0;
  pid_t ppid = 0;
  if (!(rest >> state >> ppid)) return std::nullopt;
  return ppid;
}

// Every live descendant of `root` (workers and anything they start).
std::vector<pid_t> descendants_of(pid_t root) {
  std::map<pid_t, pid_t> parent;
  if (DIR* proc = opendir("/proc")) {
    while (const dirent* e = readdir(proc)) {
      char* end = nullptr;
      const long pid = std::strtol(e->d_name, &end, 10);
      if (*end != '\0' || pid <= 0) continue;
      if (const auto pp = parent_of(static_cast<pid_t>(pid))) parent[static_cast<pid_t>(pid)] = *pp;
    }
    closedir(proc);
  }
  std::vector<pid_t> out;
  std::set<pid_t> tree{root};
  // Parents have smaller pids only until pids wrap: repeat until nothing new joins.
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [pid, pp] : parent) {
      if (tree.contains(pp) && tree.insert(pid).second) {
        out.push_back(pid);
        grew = true;
      }
    }
  }
  return out;
}

// Samples the RSS of the server and of each of its descendants every 200 ms until destroyed.
class RssSampler {
 public:
  explicit RssSampler(pid_t server)
      : server_(server), thread_([this](std::stop_token stop) { run(stop); }) {}

  struct Peaks {
    long server_kib = 0;
    long worker_kib = 0;  // the largest of any one descendant
    pid_t worker_pid = 0;
    int workers_seen = 0;
    std::vector<std::string> over_limit;  // "pid 123: 812 MiB"
  };
  Peaks peaks() {
    std::lock_guard lock(mu_);
    Peaks p = peaks_;
    p.workers_seen = static_cast<int>(seen_.size());
    return p;
  }

 private:
  void run(const std::stop_token& stop) {
    while (!stop.stop_requested()) {
      const long server = rss_kib(server_);
      std::vector<std::pair<pid_t, long>> workers;
      for (pid_t pid : descendants_of(server_)) workers.emplace_back(pid, rss_kib(pid));
      {
        std::lock_guard lock(mu_);
        peaks_.server_kib = std::max(peaks_.server_kib, server);
        for (const auto& [pid, kib] : workers) {
          seen_.insert(pid);
          if (kib > peaks_.worker_kib) {
            peaks_.worker_kib = kib;
            peaks_.worker_pid = pid;
          }
          if (kib > kWorkerMemoryMb * 1024 && over_.insert(pid).second) {
            peaks_.over_limit.push_back(fmt::format("pid {}: {} MiB", pid, kib / 1024));
          }
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }

  pid_t server_;
  std::mutex mu_;
  Peaks peaks_;
  std::set<pid_t> seen_;
  std::set<pid_t> over_;
  std::jthread thread_;  // last: it starts once everything it uses exists
};

// ---- the test ----

struct Upload {
  const HostileCase* c = nullptr;
  int http_status = 0;
  nlohmann::json body;
  std::string job_id;
  nlohmann::json final_status;  // null until the job ended
};

// The string `key` of a JSON object; empty for anything else (null, a number, no object).
std::string string_field(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return {};
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool finished(const nlohmann::json& status) {
  const std::string s = string_field(status, "status");
  return s == "completed" || s == "failed";
}

std::string error_message(const nlohmann::json& status) {
  return string_field(status, "error_message");
}

void check_outcome(const Upload& u) {
  const HostileCase& c = *u.c;
  SCOPED_TRACE(fmt::format("case {} ({}, expected {}): {}", c.name, c.category,
                           to_string(c.expected), c.why));
  if (c.expected == HostileOutcome::kRefused) {
    EXPECT_GE(u.http_status, 400) << u.body.dump();
    EXPECT_LT(u.http_status, 500) << u.body.dump();
    ASSERT_TRUE(u.body.is_object()) << "a JSON error, status " << u.http_status;
    const std::string detail = string_field(u.body, "detail");
    EXPECT_FALSE(detail.empty()) << u.body.dump();
    if (!c.serve_reason.empty()) {
      EXPECT_TRUE(contains_ci(detail, c.serve_reason))
          << "names '" << c.serve_reason << "': " << detail;
    }
    return;
  }
  ASSERT_EQ(u.http_status, 200) << "the upload was refused: " << u.body.dump();
  ASSERT_TRUE(finished(u.final_status))
      << "the job did not end in time; last status: " << u.final_status.dump();
  const std::string status = string_field(u.final_status, "status");
  const std::string message = error_message(u.final_status);
  if (c.pages > 0) {
    EXPECT_EQ(u.final_status.value("total_pages", -1), c.pages);
  }
  switch (c.expected) {
    case HostileOutcome::kFailed:
      EXPECT_EQ(status, "failed") << u.final_status.dump();
      EXPECT_FALSE(message.empty()) << "a failed job says why";
      if (!c.serve_reason.empty()) {
        EXPECT_TRUE(contains_ci(message, c.serve_reason)) << message;
      }
      break;
    case HostileOutcome::kDamagedPagesNamed:
      EXPECT_EQ(status, "completed") << u.final_status.dump();
      for (int page : c.damaged_pages) {
        EXPECT_TRUE(names_page(message, page)) << "page " << page << " is named: " << message;
      }
      break;
    default:
      EXPECT_EQ(status, "completed") << u.final_status.dump();
      // A warning may be there (a layout PDF drawn another way); a failed page may not.
      for (int page = 1; page <= std::max(c.pages, 1); ++page) {
        EXPECT_FALSE(names_page(message, page)) << "page " << page << " failed: " << message;
      }
  }
}

class HostileServe : public E2eTest {};

TEST_F(HostileServe, EveryCaseEndsAsExpectedAndTheServerSurvives) {
  ServerProcess& server =
      start_server({{"DOCMILL_WORKER_MEMORY_MB", std::to_string(kWorkerMemoryMb)},
                    {"DOCMILL_PAGE_TIMEOUT_SECONDS", kPageTimeoutSeconds},
                    {"DOCMILL_MAX_RENDER_MEGAPIXELS", kRenderMegapixels}});
  const pid_t pid = server.pid();
  RssSampler sampler(pid);

  const auto corpus = hostile_corpus();
  std::vector<Upload> uploads;
  for (const auto& c : corpus) {
    const auto bytes = c.make();
    if (!bytes) continue;  // qpdf missing: the encrypted cases are left out
    Upload u;
    u.c = &c;
    auto res = upload_pdf(*client_, *bytes, c.name + ".pdf");
    if (!res) {
      ADD_FAILURE() << c.name << ": the upload got no answer (" << httplib::to_string(res.error())
                    << "); server running: " << server.running();
    } else {
      u.http_status = res->status;
      u.body = json_of(res);
      if (res->status == 200) u.job_id = string_field(u.body, "job_id");
    }
    uploads.push_back(std::move(u));
    ASSERT_TRUE(server.running()) << "the server died on the upload of " << c.name << "\n"
                                  << server_log();
  }

  // Every accepted job, until it ends or the deadline passes.
  const auto deadline = std::chrono::steady_clock::now() + kJobsDeadline;
  for (bool waiting = true; waiting && std::chrono::steady_clock::now() < deadline;) {
    waiting = false;
    for (auto& u : uploads) {
      if (u.job_id.empty() || finished(u.final_status)) continue;
      auto res = client_->Get("/result/" + u.job_id + "/status");
      if (res && res->status == 200) u.final_status = json_of(res);
      waiting = waiting || !finished(u.final_status);
    }
    if (!server.running()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  ASSERT_TRUE(server.running()) << "the server process died\n" << server_log();

  for (const auto& u : uploads) check_outcome(u);

  // Still the same process, still healthy, still converting.
  EXPECT_EQ(server.pid(), pid);
  auto health = client_->Get("/health");
  ASSERT_TRUE(health) << "no answer from /health";
  EXPECT_EQ(health->status, 200);
  const std::string normal =
      submit(*client_, text_pdf({{{72, 100, 12, false, "A normal document after the storm."}}}));
  ASSERT_FALSE(normal.empty());
  const auto done = wait_finished(*client_, normal, std::chrono::seconds(60));
  EXPECT_EQ(string_field(done, "status"), "completed") << done.dump();
  EXPECT_TRUE(error_message(done).empty()) << done.dump();
  EXPECT_TRUE(server.running());

  if (HasFailure()) {
    // What the server and its workers said, without the status polls of this test.
    std::istringstream log(server_log());
    std::vector<std::string> lines;
    for (std::string line; std::getline(log, line);) {
      if (line.find("GET /result/") == std::string::npos) lines.push_back(line);
    }
    const size_t from = lines.size() > 200 ? lines.size() - 200 : 0;
    std::cout << "[ hostile ] the server log (last 200 lines but status polls):\n";
    for (size_t i = from; i < lines.size(); ++i) std::cout << lines[i] << "\n";
  }

  const auto peaks = sampler.peaks();
  // The closing note of issue 7 reports these figures.
  std::cout << fmt::format(
      "[ hostile ] peak RSS: server {} MiB; largest worker {} MiB (pid {}, {} worker processes "
      "seen); limit {} MiB\n",
      peaks.server_kib / 1024, peaks.worker_kib / 1024, peaks.worker_pid, peaks.workers_seen,
      kWorkerMemoryMb);
  RecordProperty("peak_server_rss_mib", static_cast<int>(peaks.server_kib / 1024));
  RecordProperty("peak_worker_rss_mib", static_cast<int>(peaks.worker_kib / 1024));
#if defined(__SANITIZE_ADDRESS__)
  // The limit is not applied under AddressSanitizer (its shadow memory needs the address
  // space), and its own overhead inflates RSS: the peaks are reported, not checked.
#else
  EXPECT_TRUE(peaks.over_limit.empty())
      << "workers over " << kWorkerMemoryMb
      << " MiB: " << fmt::format("{}", fmt::join(peaks.over_limit, "; "));
#endif
}

}  // namespace
}  // namespace docmill::testing
