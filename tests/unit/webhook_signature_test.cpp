#include <gtest/gtest.h>

#include <chrono>

#include "app/webhook_sender.h"
#include "core/hmac_sha256.h"

namespace docmill {
namespace {

using namespace std::chrono_literals;

TEST(HmacSha256, MatchesRfc4231) {
  // Test case 2: a short key and data.
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 1: key 20 x 0x0b, "Hi There".
  EXPECT_EQ(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(WebhookSignature, SignsTheTimestampAndTheBody) {
  const std::string sig = webhook_signature("Jefe", "1700000000", "{\"status\":\"completed\"}");
  EXPECT_EQ(sig, "sha256=" + hmac_sha256_hex("Jefe", "1700000000.{\"status\":\"completed\"}"));
  // Another timestamp, another signature: an old delivery cannot be replayed as new.
  EXPECT_NE(sig, webhook_signature("Jefe", "1700000001", "{\"status\":\"completed\"}"));
  EXPECT_NE(sig, webhook_signature("other", "1700000000", "{\"status\":\"completed\"}"));
}

TEST(WebhookRetryDelay, DoublesFromTheBaseUpToAnHour) {
  EXPECT_EQ(webhook_retry_delay(1, 5s), 5s);
  EXPECT_EQ(webhook_retry_delay(2, 5s), 10s);
  EXPECT_EQ(webhook_retry_delay(3, 5s), 20s);
  EXPECT_EQ(webhook_retry_delay(7, 5s), 320s);
  EXPECT_EQ(webhook_retry_delay(20, 5s), 3600s);
  EXPECT_EQ(webhook_retry_delay(1000, 5s), 3600s);
  EXPECT_EQ(webhook_retry_delay(1, 7200s), 3600s);
  EXPECT_EQ(webhook_retry_delay(3, 1s), 4s);
}

}  // namespace
}  // namespace docmill
