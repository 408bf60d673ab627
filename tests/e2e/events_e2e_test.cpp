// GET /result/{job_id}/events against the real binary: events as pages progress, the end after
// the last one, reconnection, the cap, the errors, a deleted job, and SIGTERM with a stream open.
#include <csignal>
#include <future>
#include <thread>

#include "e2e/e2e_fixture.h"
#include "support/sse_client.h"

namespace docmill::testing {
namespace {

using nlohmann::json;
using std::chrono::seconds;

class Events : public E2eTest {};

std::string events_path(const std::string& id) {
  return "/result/" + id + "/events";
}

std::string header_of(const SseRead& read, const std::string& name) {
  const auto it = read.headers.find(name);
  return it == read.headers.end() ? std::string() : it->second;
}

json status_of(httplib::Client& c, const std::string& id) {
  return json_of(c.Get("/result/" + id + "/status"));
}

// A stream held open on its own client and thread until hang_up(): its events as they come.
class OpenStream {
 public:
  OpenStream(const ServerProcess& server, const std::string& path) : client_(server.client()) {
    thread_ = std::jthread([this, path] {
      read_ = read_events(*client_, path, {}, [this](const SseEvent& e) {
        std::lock_guard lock(mu_);
        events_.push_back(e);
        if (!first_set_) {
          first_set_ = true;
          first_.set_value(e);
        }
        return !hang_up_;
      });
      std::lock_guard lock(mu_);
      if (!first_set_) first_.set_value(std::nullopt);
    });
  }
  ~OpenStream() {
    hang_up_ = true;
    client_->stop();
  }
  // The first event; nullopt when the stream ended or failed before one came.
  std::optional<SseEvent> first() { return first_future_.get(); }
  // Makes the client hang up at its next event.
  void hang_up() { hang_up_ = true; }
  // Waits for the stream to end; what it read.
  SseRead finish() {
    thread_.join();
    return read_;
  }

 private:
  std::unique_ptr<httplib::Client> client_;
  std::mutex mu_;
  std::vector<SseEvent> events_;
  std::promise<std::optional<SseEvent>> first_;
  std::future<std::optional<SseEvent>> first_future_ = first_.get_future();
  bool first_set_ = false;
  std::atomic<bool> hang_up_{false};
  SseRead read_;
  std::jthread thread_;
};

TEST_F(Events, FollowPagesAndEndAfterCompletionWithTheStatusAnswer) {
  start_server({{"DOCMILL_WORKERS", "1"}});
  const int pages = 3;
  const std::string id = submit(*client_, ocr_document(pages), kSlowFields);
  const SseRead read = read_events(*client_, events_path(id));

  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_TRUE(read.ended_by_server);
  EXPECT_EQ(header_of(read, "Content-Type"), "text/event-stream");
  EXPECT_EQ(header_of(read, "Cache-Control"), "no-cache");
  EXPECT_EQ(header_of(read, "X-Accel-Buffering"), "no");
  ASSERT_FALSE(read.events.empty());

  long last_id = 0;
  int last_pages = 0;
  bool partway = false;
  for (const auto& e : read.events) {
    EXPECT_EQ(e.event, "status");
    const long event_id = std::stol(e.id);
    EXPECT_GT(event_id, last_id) << "ids grow";
    last_id = event_id;
    const json data = json::parse(e.data);
    EXPECT_EQ(data["job_id"], id);
    const int n = data["processed_pages"];
    EXPECT_GE(n, last_pages);
    last_pages = n;
    partway = partway || (n > 0 && n < pages);
  }
  EXPECT_TRUE(partway) << "no event between the first page and the last";
  // One event per change: never the same state twice in a row.
  for (size_t i = 1; i < read.events.size(); ++i) {
    EXPECT_NE(read.events[i].data, read.events[i - 1].data);
  }
  const json last = json::parse(read.events.back().data);
  EXPECT_EQ(last["status"], "completed");
  EXPECT_EQ(last, status_of(*client_, id));
}

TEST_F(Events, AReconnectGetsTheCurrentStateAtOnceAndAFinishedJobEndsThere) {
  start_server();
  const std::string id = submit(*client_, content_document());
  const json done = wait_finished(*client_, id);
  ASSERT_EQ(done["status"], "completed") << server_log();

  const SseRead first = read_events(*client_, events_path(id));
  ASSERT_EQ(first.status, 200);
  ASSERT_EQ(first.events.size(), 1u);
  EXPECT_TRUE(first.ended_by_server);
  EXPECT_EQ(json::parse(first.events[0].data), done);

  // As EventSource reconnects: the same state again, under the same id, then the end.
  const SseRead again =
      read_events(*client_, events_path(id), {{"Last-Event-ID", first.events[0].id}});
  ASSERT_EQ(again.status, 200);
  ASSERT_EQ(again.events.size(), 1u);
  EXPECT_TRUE(again.ended_by_server);
  EXPECT_EQ(again.events[0].id, first.events[0].id);
  EXPECT_EQ(json::parse(again.events[0].data), done);
  // A Last-Event-ID that is not one of ours changes nothing.
  const SseRead odd = read_events(*client_, events_path(id), {{"Last-Event-ID", "banana"}});
  ASSERT_EQ(odd.events.size(), 1u);
  EXPECT_EQ(json::parse(odd.events[0].data), done);
}

TEST_F(Events, UnknownJobIs404AndNoTokenIs401) {
  start_server({{"AUTH_TOKEN", "tok3n"}});
  for (const std::string id : {"00000000-0000-4000-8000-000000000000", "not-a-job"}) {
    const SseRead read = read_events(*client_, events_path(id));
    EXPECT_EQ(read.status, 404) << id;
    const json body = json::parse(read.body, nullptr, false);
    EXPECT_EQ(body["error"], "not_found") << read.body;
    EXPECT_TRUE(body["detail"].is_string());
  }
  httplib::Client anonymous("127.0.0.1", server_->port());
  const SseRead read = read_events(anonymous, events_path("00000000-0000-4000-8000-000000000000"));
  EXPECT_EQ(read.status, 401);
  EXPECT_EQ(json::parse(read.body, nullptr, false)["error"], "unauthorized") << read.body;
}

TEST_F(Events, BeyondTheCap503UntilAStreamEndsAndADeletedJobSaysSo) {
  start_server({{"DOCMILL_WORKERS", "1"}, {"DOCMILL_MAX_EVENT_STREAMS", "1"}});
  // Long enough (about a second a page) to stay processing through the whole test.
  const std::string id = submit(*client_, ocr_document(40), kSlowFields);

  auto held = std::make_unique<OpenStream>(*server_, events_path(id));
  ASSERT_TRUE(held->first().has_value()) << server_log();

  const SseRead refused = read_events(*client_, events_path(id));
  EXPECT_EQ(refused.status, 503);
  EXPECT_FALSE(header_of(refused, "Retry-After").empty());
  const json error = json::parse(refused.body, nullptr, false);
  EXPECT_EQ(error["error"], "unavailable") << refused.body;
  EXPECT_NE(error["detail"].get<std::string>().find("DOCMILL_MAX_EVENT_STREAMS"),
            std::string::npos);
  // Streams hold their own threads: the rest of the API still answers.
  EXPECT_EQ(status_of(*client_, id)["job_id"], id);

  // The holder hangs up; its slot is freed once the server's next write to it fails (the
  // pages' events), so a new stream gets in while the job is still running.
  held->hang_up();
  held->finish();
  std::unique_ptr<OpenStream> next;
  std::optional<SseEvent> first;
  const auto deadline = std::chrono::steady_clock::now() + seconds(60);
  while (!first && std::chrono::steady_clock::now() < deadline) {
    next = std::make_unique<OpenStream>(*server_, events_path(id));
    first = next->first();
    if (!first) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_TRUE(first.has_value()) << "no stream admitted after the holder hung up";
  EXPECT_EQ(json::parse(first->data)["status"], "processing");

  // Deleted while streamed: a last event says so, and the stream ends.
  ASSERT_EQ(client_->Delete("/result/" + id)->status, 200);
  const SseRead rest = next->finish();
  EXPECT_TRUE(rest.ended_by_server);
  ASSERT_FALSE(rest.events.empty());
  EXPECT_EQ(rest.events.back().event, "deleted");
  EXPECT_EQ(json::parse(rest.events.back().data)["job_id"], id);
}

TEST_F(Events, AFailedJobsStreamEndsWithStatusFailed) {
  auto env = kFailingServer;
  env["DOCMILL_WORKERS"] = "1";
  start_server(env);
  const std::string id = submit(*client_, failing_document(), kFailingFields);
  const SseRead read = read_events(*client_, events_path(id));
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_TRUE(read.ended_by_server);
  ASSERT_FALSE(read.events.empty());
  const json last = json::parse(read.events.back().data);
  EXPECT_EQ(last["status"], "failed") << last.dump();
  EXPECT_TRUE(last["error_message"].is_string());
  EXPECT_EQ(last, status_of(*client_, id));
}

TEST_F(Events, SigtermWithAStreamOpenEndsTheStreamAndExitsZero) {
  start_server({{"DOCMILL_WORKERS", "1"}});
  const std::string id = submit(*client_, ocr_document(40), kSlowFields);
  OpenStream stream(*server_, events_path(id));
  ASSERT_TRUE(stream.first().has_value()) << server_log();

  server_->send_signal(SIGTERM);
  // The running page may finish (a second or so); the stream must not hold the server up.
  const auto code = server_->wait_exit(seconds(30));
  ASSERT_TRUE(code.has_value()) << "still running 30 s after SIGTERM with a stream open";
  EXPECT_EQ(*code, 0) << server_log();
  const SseRead read = stream.finish();
  EXPECT_TRUE(read.ended_by_server) << "the stream was cut rather than ended";
}

}  // namespace
}  // namespace docmill::testing
