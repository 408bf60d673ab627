// Webhooks against the real binary: a receiver on 127.0.0.1 (allowed by
// DOCMILL_WEBHOOK_ALLOW_HOSTS) gets the finished job's status JSON, signed; a 500 is retried;
// a delivery pending when the server dies is sent by the next one; refused targets are
// refused at upload.
#include <map>

#include "core/hmac_sha256.h"
#include "e2e/e2e_fixture.h"
#include "support/webhook_receiver.h"

namespace docmill::testing {
namespace {

using nlohmann::json;
using std::chrono::seconds;

constexpr const char* kSecret = "s3cret-for-tests";

class Webhooks : public E2eTest {
 protected:
  void SetUp() override { ASSERT_TRUE(receiver_.start()); }

  std::map<std::string, std::string> env() const {
    return {{"DOCMILL_WORKERS", "1"},
            {"DOCMILL_WEBHOOK_ALLOW_HOSTS", "127.0.0.1"},
            {"DOCMILL_WEBHOOK_SECRET", kSecret},
            {"DOCMILL_WEBHOOK_RETRY_SECONDS", "1"}};
  }

  std::string submit_hooked(const std::string& path = "/hook?token=abc") {
    return submit(*client_, content_document(), {{"callback_url", receiver_.url(path)}});
  }

  json status_of(const std::string& id) {
    return json_of(client_->Get("/result/" + id + "/status"));
  }

  WebhookReceiver receiver_;
};

TEST_F(Webhooks, TheFinishedJobsStatusIsPostedSigned) {
  start_server(env());
  const std::string id = submit_hooked();
  ASSERT_EQ(wait_finished(*client_, id)["status"], "completed") << server_log();
  ASSERT_TRUE(receiver_.wait_for(1, seconds(60))) << server_log();
  const ReceivedHook hook = receiver_.received().at(0);

  EXPECT_EQ(hook.path, "/hook");
  EXPECT_EQ(hook.content_type, "application/json");
  EXPECT_EQ(hook.user_agent, "docmill");
  EXPECT_FALSE(hook.delivery.empty());
  // The body is the job's /status JSON.
  const json body = json::parse(hook.body, nullptr, false);
  EXPECT_EQ(body, status_of(id)) << hook.body;
  EXPECT_EQ(body["status"], "completed");
  // Signed over "<timestamp>.<body>" with the secret; a receiver checks it so.
  ASSERT_FALSE(hook.timestamp.empty());
  EXPECT_EQ(hook.signature, "sha256=" + hmac_sha256_hex(kSecret, hook.timestamp + "." + hook.body));
  EXPECT_NE(hook.signature,
            "sha256=" + hmac_sha256_hex("wrong secret", hook.timestamp + "." + hook.body));
  const long long sent = std::stoll(hook.timestamp);
  const long long now =
      std::chrono::duration_cast<seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  EXPECT_LE(std::llabs(now - sent), 600);

  // With an allow list, a host not on it is refused, however it resolves.
  auto other = upload_pdf(
      *client_, content_document(), "document.pdf",
      {{"callback_url", "http://localhost:" + std::to_string(receiver_.port()) + "/hook"}});
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 400) << other->body;
  EXPECT_NE(other->body.find("not in DOCMILL_WEBHOOK_ALLOW_HOSTS"), std::string::npos)
      << other->body;
  // One delivery only.
  EXPECT_EQ(receiver_.received().size(), 1u);
}

TEST_F(Webhooks, AnAnswerOf500IsTriedAgain) {
  receiver_.push_status(500);
  start_server(env());
  const std::string id = submit_hooked();
  ASSERT_EQ(wait_finished(*client_, id)["status"], "completed") << server_log();
  ASSERT_TRUE(receiver_.wait_for(2, seconds(60))) << server_log();
  const auto hooks = receiver_.received();
  // The same delivery, the same body, each attempt signed for its own timestamp.
  EXPECT_EQ(hooks[0].delivery, hooks[1].delivery);
  EXPECT_EQ(hooks[0].body, hooks[1].body);
  EXPECT_EQ(json::parse(hooks[1].body, nullptr, false), status_of(id));
  for (const auto& h : hooks) {
    EXPECT_EQ(h.signature, "sha256=" + hmac_sha256_hex(kSecret, h.timestamp + "." + h.body));
  }
  EXPECT_TRUE(wait_for_log([&] { return server_log(); }, "answered HTTP 500", 1, seconds(5)));
  EXPECT_TRUE(
      wait_for_log([&] { return server_log(); }, "delivered to http://127.0.0.1:", 1, seconds(10)))
      << server_log();
}

TEST_F(Webhooks, ADeliveryPendingWhenTheServerDiesIsSentAfterTheRestart) {
  receiver_.stop();  // down: connections to its port are refused
  start_server(env());
  const std::string id = submit_hooked();
  ASSERT_EQ(wait_finished(*client_, id)["status"], "completed") << server_log();
  ASSERT_TRUE(wait_for_log([&] { return server_log(); }, "failed (attempt 1 of 8)", 1, seconds(30)))
      << server_log();
  kill_server();
  EXPECT_TRUE(receiver_.received().empty());

  ASSERT_TRUE(receiver_.start());  // up again, on the same port
  start_server(env());
  ASSERT_TRUE(receiver_.wait_for(1, seconds(60))) << server_log();
  const ReceivedHook hook = receiver_.received().at(0);
  const json body = json::parse(hook.body, nullptr, false);
  EXPECT_EQ(body["job_id"], id);
  EXPECT_EQ(body, status_of(id));
  EXPECT_EQ(hook.signature, "sha256=" + hmac_sha256_hex(kSecret, hook.timestamp + "." + hook.body));
}

TEST_F(Webhooks, PrivateTargetsAndOtherSchemesAreRefusedAtUpload) {
  start_server({{"DOCMILL_WORKERS", "1"}});  // no allow list
  const std::pair<std::string, std::string> cases[] = {
      {receiver_.url("/hook"), "private, loopback or link-local"},
      {"http://[::1]:9/hook", "private, loopback or link-local"},
      {"http://169.254.169.254/latest/meta-data", "private, loopback or link-local"},
      {"ftp://example.com/hook", "scheme 'ftp'"},
      {"file:///etc/passwd", "scheme 'file'"},
      {"not a url", "spaces"},
  };
  for (const auto& [url, why] : cases) {
    auto res = upload_pdf(*client_, content_document(), "document.pdf", {{"callback_url", url}});
    ASSERT_TRUE(res) << url;
    EXPECT_EQ(res->status, 400) << url << ": " << res->body;
    const json j = json_of(res);
    const std::string detail = j.value("detail", "");
    EXPECT_NE(detail.find("field 'callback_url'"), std::string::npos) << detail;
    EXPECT_NE(detail.find(why), std::string::npos) << url << ": " << detail;
  }
  EXPECT_EQ(leftover_files(), 0);
  EXPECT_EQ(json_of(client_->Get("/tasks"))["count"], 0);
  EXPECT_TRUE(receiver_.received().empty());
}

}  // namespace
}  // namespace docmill::testing
