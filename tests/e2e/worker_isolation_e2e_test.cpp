// Worker processes: a page that kills its worker fails alone (after one more try on a fresh
// worker), a page past the time limit fails naming it, and the server never goes down.
#include <signal.h>

#include <fstream>
#include <functional>
#include <sstream>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "e2e/e2e_fixture.h"

namespace docmill::testing {
namespace {

using namespace std::chrono_literals;

class WorkerIsolation : public E2eTest {};

TEST_F(WorkerIsolation, APageThatCrashesItsWorkerTwiceFailsAloneAndTheServerGoesOn) {
  ServerProcess& server = start_server({{"DOCMILL_WORKERS", "1"}});
  const pid_t server_pid = server.pid();
  const std::string id = submit(*client_, ocr_document(2), kSlowFields);
  const auto log = [&] { return server_log(); };
  // Each worker process logs the job once, when it claims its first page of it: the first
  // worker, then the fresh one that retries page 1.
  for (int attempt = 1; attempt <= 2; ++attempt) {
    ASSERT_TRUE(wait_for_log(
        log, fmt::format("job {} processing (page 1 first, attempt {})", id, attempt), 1, 60s))
        << server_log();
    // The log line comes just before the worker tells its supervisor which unit it holds; the
    // page itself takes about a second.
    std::this_thread::sleep_for(300ms);
    const auto workers = worker_pids(server_pid);
    ASSERT_EQ(workers.size(), 1u);
    ::kill(workers[0], SIGSEGV);  // as if the page had crashed MuPDF
  }
  const auto status = wait_finished(*client_, id);
  EXPECT_EQ(status["status"], "completed") << status.dump();
  EXPECT_EQ(status["processed_pages"], 2);
  // SIGSEGV, or SIGABRT where AddressSanitizer catches the signal and aborts.
  EXPECT_NE(status["error_message"].get<std::string>().find("page 1 crashed the worker (SIG"),
            std::string::npos)
      << status.dump();
  EXPECT_NE(server_log().find("trying it once more on a fresh worker"), std::string::npos);
  EXPECT_TRUE(server.running());

  auto md = client_->Get(fmt::format("/result/{}/markdown", id));
  ASSERT_TRUE(md);
  EXPECT_EQ(md->status, 200);
  // Page 2 was read, page 1 is marked failed.
  EXPECT_NE(md->body.find("Glaciers"), std::string::npos);

  // A fresh worker serves the next job.
  const std::string next = submit(*client_, content_document());
  EXPECT_EQ(wait_finished(*client_, next)["status"], "completed");
  EXPECT_EQ(worker_pids(server_pid).size(), 1u);
}

TEST_F(WorkerIsolation, APageOverTheTimeLimitFailsNamingTheLimitAndTheWorkerServesOn) {
  std::map<std::string, std::string> env = kFailingServer;
  env["DOCMILL_WORKERS"] = "1";
  start_server(env);
  const std::string id = submit(*client_, failing_document(), kFailingFields);
  const auto status = wait_finished(*client_, id, 90s);
  EXPECT_EQ(status["status"], "failed") << status.dump();
  EXPECT_NE(status.value("error_message", "").find("page 1 ran past the"), std::string::npos)
      << status.dump();
  EXPECT_TRUE(server_->running());
  const std::string next = submit(*client_, content_document());
  EXPECT_EQ(wait_finished(*client_, next)["status"], "completed");
}

TEST_F(WorkerIsolation, KillingTheServerTakesItsWorkersWithIt) {
  ServerProcess& server = start_server({{"DOCMILL_WORKERS", "2"}});
  const pid_t server_pid = server.pid();
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  std::vector<pid_t> workers;
  while (workers.size() < 2 && std::chrono::steady_clock::now() < deadline) {
    workers = worker_pids(server_pid);
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_EQ(workers.size(), 2u);
  kill_server();  // SIGKILL: no chance to stop them
  for (pid_t w : workers) {
    bool gone = false;
    for (int i = 0; i < 250 && !gone; ++i) {
      gone = ::kill(w, 0) != 0 || [&] {
        // A zombie waiting for init to reap it counts as gone.
        std::ifstream stat(fmt::format("/proc/{}/stat", w));
        std::string line;
        std::getline(stat, line);
        const auto close = line.rfind(')');
        return close != std::string::npos && line.size() > close + 2 && line[close + 2] == 'Z';
      }();
      if (!gone) std::this_thread::sleep_for(20ms);
    }
    EXPECT_TRUE(gone) << "worker " << w << " outlived its server";
  }
}

}  // namespace
}  // namespace docmill::testing
