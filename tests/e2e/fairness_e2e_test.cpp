// Fair scheduling through the real binary: a small job does not wait behind a large one, a
// high-priority job goes before a low one, and /status tells a waiting client where it stands.
#include <map>
#include <string>

#include "e2e/e2e_fixture.h"

namespace docmill::testing {
namespace {

using nlohmann::json;
using std::chrono::seconds;

class Fairness : public E2eTest {
 protected:
  json status_of(const std::string& id) {
    return json_of(client_->Get("/result/" + id + "/status"));
  }

  // On `workers` workers, a 1-page job uploaded once a `large_pages` job is processing
  // completes while the large one is still processing.
  void small_job_overtakes(int workers, int large_pages);
};

// kSlowFields with a priority.
std::map<std::string, std::string> slow_with_priority(const std::string& priority) {
  auto fields = kSlowFields;
  fields["priority"] = priority;
  return fields;
}

bool is_status(const json& s, const char* status) {
  return s.is_object() && s.value("status", "") == status;
}

void Fairness::small_job_overtakes(int workers, int large_pages) {
  start_server({{"DOCMILL_WORKERS", std::to_string(workers)}});
  const std::string large = submit(*client_, ocr_document(large_pages), kSlowFields);
  const json started = poll_status(
      *client_, large, [](const json& s) { return is_status(s, "processing"); }, seconds(60));
  ASSERT_TRUE(is_status(started, "processing")) << started.dump() << server_log();
  const std::string small = submit(*client_, ocr_document(1), kSlowFields);
  const json done = wait_finished(*client_, small, seconds(60));
  const json large_then = status_of(large);
  ASSERT_EQ(done["status"], "completed") << done.dump() << server_log();
  EXPECT_TRUE(is_status(large_then, "processing")) << large_then.dump();
  EXPECT_LT(large_then.value("processed_pages", large_pages), large_pages) << large_then.dump();
}

TEST_F(Fairness, ASmallJobUploadedLateCompletesWhileTheLargeOneIsStillProcessing) {
  // At about a second a page on two workers, the large job has ten or more seconds left when the
  // small one is claimed within a page time; first in first out, the small one would wait for
  // all twenty pages.
  small_job_overtakes(2, 20);
}

TEST_F(Fairness, OnOneWorkerALateSmallJobGoesBeforeTheRestOfALargeOne) {
  // Between two pages the large job has nothing in flight, like the small one: the pages it
  // has had decide, so the worker goes to the small job next.
  small_job_overtakes(1, 8);
}

TEST_F(Fairness, AHighPriorityJobIsServedBeforeALowOneUploadedEarlier) {
  // One worker, so the order of claims is the order of completion.
  start_server({{"DOCMILL_WORKERS", "1"}});
  const std::string a = submit(*client_, ocr_document(6), kSlowFields);
  const std::string b = submit(*client_, ocr_document(1), slow_with_priority("low"));
  const std::string c = submit(*client_, ocr_document(1), slow_with_priority("high"));

  const json c_done = wait_finished(*client_, c, seconds(60));
  const json b_then = status_of(b);
  const json a_then = status_of(a);
  ASSERT_EQ(c_done["status"], "completed") << c_done.dump() << server_log();
  EXPECT_FALSE(is_status(b_then, "completed")) << "low before high: " << b_then.dump();
  EXPECT_FALSE(is_status(a_then, "completed")) << "normal before high: " << a_then.dump();

  // Low waits behind normal, but is served.
  const json b_done = wait_finished(*client_, b, seconds(60));
  EXPECT_EQ(b_done["status"], "completed") << b_done.dump() << server_log();
  EXPECT_EQ(status_of(a)["status"], "completed") << "low before normal";
}

TEST_F(Fairness, StatusShowsQueuePositionPagesAheadAndPriority) {
  start_server({{"DOCMILL_WORKERS", "1"}});
  // The running job is high priority, so the two behind it stay pending while it runs,
  // whatever the share between equals.
  const std::string running = submit(*client_, ocr_document(4), slow_with_priority("high"));
  const std::string next = submit(*client_, ocr_document(1), kSlowFields);
  const std::string last = submit(*client_, ocr_document(1), slow_with_priority("low"));

  const json n = status_of(next);
  const json l = status_of(last);
  ASSERT_TRUE(is_status(n, "pending")) << n.dump();
  ASSERT_TRUE(is_status(l, "pending")) << l.dump();
  for (const json& s : {n, l}) {
    ASSERT_TRUE(s.contains("queue_position") && s["queue_position"].is_number_integer())
        << s.dump();
    ASSERT_TRUE(s.contains("pages_ahead") && s["pages_ahead"].is_number_integer()) << s.dump();
    EXPECT_GE(s["pages_ahead"].get<int>(), 0) << s.dump();
    ASSERT_TRUE(s.contains("estimated_seconds_remaining")) << s.dump();
    EXPECT_TRUE(s["estimated_seconds_remaining"].is_null() ||
                s["estimated_seconds_remaining"].is_number())
        << s.dump();
  }
  EXPECT_EQ(n["priority"], "normal") << n.dump();
  EXPECT_EQ(l["priority"], "low") << l.dump();
  // Low is served after normal: it has more ahead of it.
  EXPECT_LT(n["queue_position"].get<int>(), l["queue_position"].get<int>()) << n.dump() << l.dump();
  EXPECT_LE(n["pages_ahead"].get<int>(), l["pages_ahead"].get<int>()) << n.dump() << l.dump();

  // /tasks entries carry the same fields.
  const json tasks = json_of(client_->Get("/tasks"));
  ASSERT_TRUE(tasks["tasks"].is_array()) << tasks.dump();
  for (const json& t : tasks["tasks"]) {
    EXPECT_TRUE(t.contains("queue_position") && t.contains("pages_ahead") &&
                t.contains("estimated_seconds_remaining") && t["priority"].is_string())
        << t.dump();
  }

  // Once started, a job has no place in the queue.
  const json r = poll_status(
      *client_, running, [](const json& s) { return is_status(s, "processing"); }, seconds(60));
  ASSERT_TRUE(is_status(r, "processing")) << r.dump() << server_log();
  EXPECT_TRUE(r.contains("queue_position") && r["queue_position"].is_null()) << r.dump();
  EXPECT_EQ(r["priority"], "high") << r.dump();

  // An unknown priority is refused, naming the field.
  auto bad = upload_pdf(*client_, ocr_document(1), "document.pdf", {{"priority", "urgent"}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400) << bad->body;
  EXPECT_NE(bad->body.find("priority"), std::string::npos) << bad->body;
}

}  // namespace
}  // namespace docmill::testing
