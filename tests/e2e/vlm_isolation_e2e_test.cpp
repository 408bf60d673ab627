// Worker processes on the VLM engine hold many pages at once, most of them waiting on the
// model server. A worker that dies costs those pages nothing: they are read again, uncounted.
// (Stopping the server aborting requests in flight: vlm_e2e_test.cpp.)
#include <signal.h>

#include <thread>

#include "e2e/e2e_fixture.h"
#include "support/fake_vlm_server.h"

namespace docmill::testing {
namespace {

using namespace std::chrono_literals;

class VlmIsolation : public E2eTest {
 protected:
  void SetUp() override { ASSERT_TRUE(model_.start()); }

  std::map<std::string, std::string> vlm_server(int concurrency) {
    return {{"DOCMILL_VLM_URL", model_.base_url()},
            {"DOCMILL_WORKERS", "1"},
            {"DOCMILL_VLM_CONCURRENCY", std::to_string(concurrency)},
            {"DOCMILL_VLM_FALLBACK", "fail"}};
  }

  bool wait_in_flight(int n, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (model_.in_flight() >= n) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  FakeVlmServer model_;
};

TEST_F(VlmIsolation, AWorkerThatDiesWhilePagesWaitOnTheModelCostsThemNothing) {
  model_.set_default_reply(FakeReply::answer(default_deepseek_answer()).after(60s));
  auto& server = start_server(vlm_server(4));
  const std::string id = submit(*client_, ocr_document(4));
  ASSERT_TRUE(wait_in_flight(4, 60s)) << server_log();

  // Every page of the worker waits on the model: none of them is to blame for its death.
  model_.set_default_reply(FakeReply::answer(default_deepseek_answer()));
  const auto workers = worker_pids(server.pid());
  ASSERT_EQ(workers.size(), 1u);
  ::kill(workers[0], SIGSEGV);

  const auto done = wait_finished(*client_, id, 120s);
  EXPECT_EQ(done["status"], "completed") << done.dump() << server_log();
  EXPECT_EQ(done["processed_pages"], 4);
  EXPECT_TRUE(done["error_message"].is_null()) << done.dump();
  EXPECT_NE(server_log().find("units its worker was waiting on reopened"), std::string::npos)
      << server_log();
  EXPECT_EQ(server_log().find("crashed the worker"), std::string::npos) << server_log();
  // Each page asked twice: once before the crash, once after; none failed or fell back.
  EXPECT_EQ(model_.completion_count(), 8u);
}

}  // namespace
}  // namespace docmill::testing
