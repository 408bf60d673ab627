// The VLM client against the fake model server: the body VLM.md specifies, the model list,
// the API key, and every failure mapped to the code the client's contract names.
#include "vlm/vlm_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/raster.h"
#include "render/jpeg_writer.h"
#include "support/fake_vlm_server.h"

namespace docmill {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::FakeReply;
using testing::FakeVlmOptions;
using testing::FakeVlmServer;

constexpr const char* kPrompt = "<|grounding|>Convert the document to markdown.";

std::string white_jpeg(int width, int height) {
  Raster page{width, height, 1, std::vector<std::uint8_t>(size_t(width) * height, 255)};
  auto jpeg = encode_jpeg(page);
  EXPECT_TRUE(jpeg) << jpeg.error().message;
  return jpeg ? *jpeg : std::string();
}

// The signature and IHDR chunk of a PNG: all the fake server reads of one.
std::string png_header(uint32_t width, uint32_t height) {
  std::string png = "\x89PNG\r\n\x1a\n";
  png += std::string("\0\0\0\x0dIHDR", 8);
  for (uint32_t v : {width, height}) {
    for (int shift = 24; shift >= 0; shift -= 8) png += static_cast<char>(v >> shift & 0xff);
  }
  png += std::string("\x08\x02\0\0\0", 5);
  return png;
}

VlmRequest page_request(std::string image) {
  VlmRequest request;
  request.model = "deepseek-ai/DeepSeek-OCR";
  request.image = std::move(image);
  request.prompt = kPrompt;
  return request;
}

VlmServer server_at(const FakeVlmServer& fake, std::optional<std::string> key = {},
                    seconds timeout = seconds(60)) {
  return VlmServer{fake.base_url(), std::move(key), timeout};
}

class VlmClientTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(fake_.start()); }
  FakeVlmServer fake_;
};

TEST(VlmRequestBody, IsTheBodyTheSpecShows) {
  VlmRequest request = page_request("abc");
  request.image_mime = "image/png";
  const auto body = nlohmann::json::parse(vlm_request_body(request));
  EXPECT_EQ(body["model"], "deepseek-ai/DeepSeek-OCR");
  ASSERT_EQ(body["messages"].size(), 1u);
  EXPECT_EQ(body["messages"][0]["role"], "user");
  const auto& content = body["messages"][0]["content"];
  ASSERT_EQ(content.size(), 2u);
  EXPECT_EQ(content[0]["type"], "image_url");
  EXPECT_EQ(content[0]["image_url"]["url"], "data:image/png;base64,YWJj");
  EXPECT_EQ(content[1]["type"], "text");
  EXPECT_EQ(content[1]["text"], kPrompt);
  EXPECT_EQ(body["max_tokens"], 6000);
  EXPECT_EQ(body["temperature"], 0.0);
  EXPECT_EQ(body["skip_special_tokens"], false);
  EXPECT_EQ(body["vllm_xargs"], nlohmann::json::parse(R"({"ngram_size": 30, "window_size": 90,
                                          "whitelist_token_ids": [128821, 128822]})"));
}

TEST(VlmRequestBody, WithoutDeepSeekExtrasHasNeither) {
  VlmRequest request = page_request("abc");
  request.deepseek_extras = false;
  request.temperature = 0.2;
  const auto body = nlohmann::json::parse(vlm_request_body(request));
  EXPECT_FALSE(body.contains("skip_special_tokens"));
  EXPECT_FALSE(body.contains("vllm_xargs"));
  EXPECT_DOUBLE_EQ(body["temperature"].get<double>(), 0.2);
}

TEST(MaskSecret, ReplacesEveryOccurrence) {
  EXPECT_EQ(mask_secret("key k3y and k3y", std::string("k3y")), "key *** and ***");
  EXPECT_EQ(mask_secret("nothing", std::nullopt), "nothing");
  EXPECT_EQ(mask_secret("nothing", std::string()), "nothing");
}

TEST_F(VlmClientTest, SendsThePageAsVlmMdSpecifies) {
  VlmClient client(server_at(fake_));
  VlmRequest request = page_request(white_jpeg(612, 792));
  request.max_tokens = 4321;
  const auto reply = client.complete(request, {});
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->content, testing::default_deepseek_answer());
  EXPECT_EQ(reply->finish_reason, "stop");
  EXPECT_EQ(reply->prompt_tokens, 900);
  EXPECT_GT(reply->completion_tokens, 0);

  const auto seen = fake_.completions();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].model, "deepseek-ai/DeepSeek-OCR");
  EXPECT_EQ(seen[0].prompt, kPrompt);
  EXPECT_EQ(seen[0].max_tokens, 4321);
  EXPECT_EQ(seen[0].temperature, 0.0);
  EXPECT_TRUE(seen[0].skip_special_tokens_false);
  EXPECT_EQ(seen[0].vllm_xargs["ngram_size"], 30);
  EXPECT_EQ(seen[0].vllm_xargs["window_size"], 90);
  EXPECT_EQ(seen[0].vllm_xargs["whitelist_token_ids"], nlohmann::json::array({128821, 128822}));
  EXPECT_EQ(seen[0].image_mime, "image/jpeg");
  EXPECT_EQ(seen[0].image_bytes, request.image.size());
  EXPECT_EQ(seen[0].image_width, 612);
  EXPECT_EQ(seen[0].image_height, 792);
  EXPECT_EQ(seen[0].authorization, "");
}

TEST_F(VlmClientTest, RecordsAPngsSize) {
  VlmClient client(server_at(fake_));
  VlmRequest request = page_request(png_header(1224, 1584));
  request.image_mime = "image/png";
  ASSERT_TRUE(client.complete(request, {}));
  const auto seen = fake_.completions();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].image_mime, "image/png");
  EXPECT_EQ(seen[0].image_width, 1224);
  EXPECT_EQ(seen[0].image_height, 1584);
}

TEST_F(VlmClientTest, ListsTheModels) {
  fake_.set_models({"deepseek-ai/DeepSeek-OCR", "other/model"});
  VlmClient client(server_at(fake_));
  const auto models = client.models();
  ASSERT_TRUE(models) << models.error().message;
  EXPECT_EQ(*models, (std::vector<std::string>{"deepseek-ai/DeepSeek-OCR", "other/model"}));
  ASSERT_EQ(fake_.requests().size(), 1u);
  EXPECT_EQ(fake_.requests()[0].path, "/v1/models");
}

TEST_F(VlmClientTest, ALengthFinishPassesThrough) {
  fake_.push_reply(FakeReply::loop());
  VlmClient client(server_at(fake_));
  const auto reply = client.complete(page_request(white_jpeg(64, 64)), {});
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->finish_reason, "length");
  EXPECT_EQ(reply->completion_tokens, 6000);
  EXPECT_NE(reply->content.find("again and again. The same"), std::string::npos);
}

TEST_F(VlmClientTest, QueuedRepliesComeInOrderThenTheDefault) {
  fake_.push_reply(FakeReply::answer(testing::vlm_fixture("plain_page.txt")));
  fake_.push_reply(FakeReply::answer("second"));
  VlmClient client(server_at(fake_));
  const auto request = page_request(white_jpeg(64, 64));
  const auto first = client.complete(request, {});
  const auto second = client.complete(request, {});
  const auto third = client.complete(request, {});
  ASSERT_TRUE(first && second && third);
  EXPECT_NE(first->content.find("# Meeting Notes"), std::string::npos);
  EXPECT_EQ(second->content, "second");
  EXPECT_EQ(third->content, testing::default_deepseek_answer());
}

TEST(VlmClientAuth, SendsTheKeyAsBearer) {
  FakeVlmServer fake(FakeVlmOptions{.api_key = "sekrit-123"});
  ASSERT_TRUE(fake.start());
  VlmClient client(server_at(fake, "sekrit-123"));
  ASSERT_TRUE(client.models());
  ASSERT_TRUE(client.complete(page_request(white_jpeg(64, 64)), {}));
  for (const auto& request : fake.requests()) {
    EXPECT_EQ(request.authorization, "Bearer sekrit-123") << request.path;
  }
}

TEST(VlmClientAuth, AWrongKeyIsRefusedAndNeverShown) {
  FakeVlmServer fake(FakeVlmOptions{.api_key = "right-key"});
  ASSERT_TRUE(fake.start());
  VlmClient client(server_at(fake, "wrong-key-xyz"));
  const auto models = client.models();
  const auto reply = client.complete(page_request(white_jpeg(64, 64)), {});
  ASSERT_FALSE(models);
  ASSERT_FALSE(reply);
  for (const Error& error : {models.error(), reply.error()}) {
    EXPECT_EQ(error.code, ErrorCode::kInvalidArgument);
    EXPECT_NE(error.message.find("API key was refused"), std::string::npos) << error.message;
    EXPECT_NE(error.message.find("401"), std::string::npos);
    EXPECT_EQ(error.message.find("wrong-key-xyz"), std::string::npos);
  }
  EXPECT_EQ(fake.requests().back().authorization, "Bearer wrong-key-xyz");
}

TEST(VlmClientAuth, NoKeyWhereOneIsRequired) {
  FakeVlmServer fake(FakeVlmOptions{.api_key = "right-key"});
  ASSERT_TRUE(fake.start());
  VlmClient client(server_at(fake));
  const auto models = client.models();
  ASSERT_FALSE(models);
  EXPECT_EQ(models.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(models.error().message.find("API key is required"), std::string::npos);
}

TEST_F(VlmClientTest, TheKeyIsMaskedEvenWhereTheServerEchoesIt) {
  fake_.push_reply(FakeReply::error(400, "unknown parameter from client sekrit-123"));
  VlmClient client(server_at(fake_, "sekrit-123"));
  const auto reply = client.complete(page_request(white_jpeg(64, 64)), {});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(reply.error().message.find("sekrit-123"), std::string::npos) << reply.error().message;
  EXPECT_NE(reply.error().message.find("client ***"), std::string::npos) << reply.error().message;
}

TEST_F(VlmClientTest, BusyAndServerErrorsAreUnavailable) {
  VlmClient client(server_at(fake_));
  for (int status : {429, 500, 502, 503}) {
    fake_.push_reply(FakeReply::error(status));
    const auto reply = client.complete(page_request(white_jpeg(64, 64)), {});
    ASSERT_FALSE(reply) << status;
    EXPECT_EQ(reply.error().code, ErrorCode::kUnavailable) << status;
    const std::string& message = reply.error().message;
    EXPECT_NE(message.find(std::to_string(status)), std::string::npos) << message;
    EXPECT_NE(message.find(fake_.base_url() + "/chat/completions"), std::string::npos) << message;
    EXPECT_NE(message.find("fake server error"), std::string::npos) << message;
  }
}

TEST_F(VlmClientTest, AContextTooLongIsTooLarge) {
  fake_.push_reply(FakeReply::context_too_long());
  VlmClient client(server_at(fake_));
  const auto reply = client.complete(page_request(white_jpeg(64, 64)), {});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, ErrorCode::kTooLarge);
  EXPECT_NE(reply.error().message.find("maximum context length is 8192"), std::string::npos)
      << reply.error().message;
}

TEST_F(VlmClientTest, OtherClientErrorsAreInvalidArguments) {
  fake_.push_reply(FakeReply::error(404, "The model `nope` does not exist."));
  fake_.push_reply(FakeReply::error(400, "temperature must be non-negative"));
  VlmClient client(server_at(fake_));
  for (const char* says : {"does not exist", "non-negative"}) {
    const auto reply = client.complete(page_request(white_jpeg(64, 64)), {});
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(reply.error().message.find(says), std::string::npos) << reply.error().message;
  }
}

TEST_F(VlmClientTest, ADroppedConnectionIsUnavailable) {
  fake_.push_reply(FakeReply::dropped());
  VlmClient client(server_at(fake_));
  const auto reply = client.complete(page_request(white_jpeg(64, 64)), {});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, ErrorCode::kUnavailable) << reply.error().message;
  EXPECT_NE(reply.error().message.find("dropped"), std::string::npos) << reply.error().message;
}

TEST_F(VlmClientTest, AnAnswerThatIsNotAChatCompletionIsCorrupt) {
  FakeReply html = FakeReply::answer("");
  html.raw_body = "<html>proxy login</html>";
  fake_.push_reply(html);
  FakeReply no_choices = FakeReply::answer("");
  no_choices.raw_body = R"({"object": "chat.completion", "choices": []})";
  fake_.push_reply(no_choices);
  VlmClient client(server_at(fake_));
  for (int i = 0; i < 2; ++i) {
    const auto reply = client.complete(page_request(white_jpeg(64, 64)), {});
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().code, ErrorCode::kCorrupt) << reply.error().message;
  }
}

TEST_F(VlmClientTest, NullContentIsEmpty) {
  FakeReply null_content = FakeReply::answer("");
  null_content.raw_body =
      R"({"choices": [{"index": 0, "message": {"role": "assistant", "content": null},
                       "finish_reason": "stop"}]})";
  fake_.push_reply(null_content);
  VlmClient client(server_at(fake_));
  const auto reply = client.complete(page_request(white_jpeg(64, 64)), {});
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->content, "");
  EXPECT_EQ(reply->finish_reason, "stop");
  EXPECT_EQ(reply->prompt_tokens, 0);
}

TEST(VlmClientDown, ARefusedConnectionIsUnavailableAndHidesCredentials) {
  const int port = testing::free_loopback_port();
  ASSERT_GT(port, 0);
  VlmClient client(VlmServer{"http://user:pw-in-url@127.0.0.1:" + std::to_string(port) + "/v1",
                             std::nullopt, seconds(10)});
  const auto reply = client.complete(page_request(white_jpeg(64, 64)), {});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(reply.error().message.find("http://127.0.0.1:" + std::to_string(port)),
            std::string::npos)
      << reply.error().message;
  EXPECT_EQ(reply.error().message.find("pw-in-url"), std::string::npos) << reply.error().message;
}

TEST(VlmClientDown, DownAtFirstThenUp) {
  FakeVlmServer fake(FakeVlmOptions{.port = testing::free_loopback_port()});
  VlmClient client(server_at(fake));
  const auto before = client.models();
  ASSERT_FALSE(before);
  EXPECT_EQ(before.error().code, ErrorCode::kUnavailable);
  ASSERT_TRUE(fake.start());
  const auto after = client.models();
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(after->front(), "deepseek-ai/DeepSeek-OCR");
  // ... and down and up again, as a restarted model server is.
  fake.stop();
  EXPECT_FALSE(client.complete(page_request(white_jpeg(64, 64)), {}));
  ASSERT_TRUE(fake.start());
  EXPECT_TRUE(client.complete(page_request(white_jpeg(64, 64)), {}));
}

TEST_F(VlmClientTest, ASlowAnswerTimesOut) {
  fake_.push_reply(FakeReply::answer("late").after(seconds(20)));
  VlmClient client(server_at(fake_, std::nullopt, seconds(1)));
  const auto reply = client.complete(page_request(white_jpeg(64, 64)), {});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, ErrorCode::kTimedOut) << reply.error().message;
}

TEST_F(VlmClientTest, AStopAbortsTheRequestInFlight) {
  fake_.push_reply(FakeReply::answer("late").after(seconds(30)));
  VlmClient client(server_at(fake_));
  std::stop_source stop;
  std::jthread stopper([&] {
    // Stop once the server holds the request, so it is aborted mid-flight, not before.
    const auto give_up = std::chrono::steady_clock::now() + seconds(10);
    while (fake_.in_flight() == 0 && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(milliseconds(5));
    }
    stop.request_stop();
  });
  const auto started = std::chrono::steady_clock::now();
  const auto reply = client.complete(page_request(white_jpeg(64, 64)), stop.get_token());
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, ErrorCode::kCancelled) << reply.error().message;
  // Loose on purpose: the answer was 30 s away; an abort comes well before it.
  EXPECT_LT(std::chrono::steady_clock::now() - started, seconds(20));
}

TEST_F(VlmClientTest, AStopRequestedBeforehandSendsNothing) {
  VlmClient client(server_at(fake_));
  std::stop_source stop;
  stop.request_stop();
  const auto reply = client.complete(page_request(white_jpeg(64, 64)), stop.get_token());
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, ErrorCode::kCancelled);
  EXPECT_EQ(fake_.completion_count(), 0u);
}

TEST_F(VlmClientTest, SixtyFourRequestsAtOnceAllSucceed) {
  constexpr int kCalls = 64;
  // Each answer waits until all 64 are in flight (or 10 s after the first arrived), so the
  // peak says how many the client really had open at once.
  const auto first = std::make_shared<std::atomic<int64_t>>(0);
  fake_.set_responder([this, first](const testing::FakeRequest& request) {
    int64_t expected = 0;
    first->compare_exchange_strong(expected, request.arrived.time_since_epoch().count());
    const auto deadline =
        std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(first->load())) +
        seconds(10);
    while (fake_.peak_in_flight() < kCalls && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(milliseconds(5));
    }
    return FakeReply::answer("page " + std::to_string(request.index));
  });
  VlmClient client(server_at(fake_));
  const std::string image = white_jpeg(200, 260);
  std::atomic<int> succeeded = 0;
  {
    std::vector<std::jthread> callers;
    for (int i = 0; i < kCalls; ++i) {
      callers.emplace_back([&] {
        const auto reply = client.complete(page_request(image), {});
        if (reply && reply->content.starts_with("page ")) ++succeeded;
      });
    }
  }
  EXPECT_EQ(succeeded, kCalls);
  EXPECT_EQ(fake_.completion_count(), size_t(kCalls));
  EXPECT_GE(fake_.peak_in_flight(), 32);
  EXPECT_EQ(fake_.in_flight(), 0);
}

}  // namespace
}  // namespace docmill
