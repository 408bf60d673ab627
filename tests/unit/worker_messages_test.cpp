#include "exec/worker_messages.h"

#include <gtest/gtest.h>

namespace docmill {
namespace {

TEST(WorkerMessages, AUnitLineRoundTrips) {
  WorkClaim claim{.job_id = "0a1b", .page_index = 4, .attempt = 2};
  auto parsed = worker_messages::parse_unit(worker_messages::unit("host:12:w3:0", claim));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->worker_id, "host:12:w3:0");
  EXPECT_EQ(parsed->claim.job_id, "0a1b");
  EXPECT_EQ(parsed->claim.page_index, 4);
  EXPECT_EQ(parsed->claim.attempt, 2);
  EXPECT_FALSE(parsed->claim.previous_failure);

  claim.page_index = kAssembleUnit;
  claim.previous_failure = "assembling the outputs crashed the worker (SIGSEGV)";
  parsed = worker_messages::parse_unit(worker_messages::unit("w", claim));
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->claim.is_assembly());
  EXPECT_TRUE(parsed->claim.previous_failure);  // a retry; the cause itself stays in the store
}

TEST(WorkerMessages, MalformedUnitLinesAreRejected) {
  EXPECT_FALSE(worker_messages::parse_unit("unit w job 1 1"));
  EXPECT_FALSE(worker_messages::parse_unit("unit w job x 1 0"));
  EXPECT_FALSE(worker_messages::parse_unit("idle"));
  EXPECT_FALSE(worker_messages::parse_unit(""));
}

TEST(WorkerMessages, WordsSplitOnSpaces) {
  const auto w = worker_messages::words("cancel  abc ");
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0], "cancel");
  EXPECT_EQ(w[1], "abc");
}

}  // namespace
}  // namespace docmill
