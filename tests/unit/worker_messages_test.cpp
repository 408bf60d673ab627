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

TEST(WorkerMessages, APageLineRoundTrips) {
  PageResult page;
  page.method = ReadMethod::kOcr;
  page.millis = 1234.6;
  auto parsed = worker_messages::parse_page(worker_messages::page("host:12:w3:0", page));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->worker_id, "host:12:w3:0");
  EXPECT_EQ(parsed->method, ReadMethod::kOcr);
  EXPECT_TRUE(parsed->ok);
  EXPECT_EQ(parsed->millis, 1235);
  EXPECT_EQ(parsed->vlm.requests, 0);  // not sent to a model
  EXPECT_FALSE(parsed->vlm.fallback);

  // A page the model could not read, after two retries, read by Tesseract and failed anyway.
  page.error = "page 3 could not be read";
  page.vlm.emplace();
  page.vlm->prompt_tokens = 700;
  page.vlm->completion_tokens = 55;
  page.vlm->retries = 2;
  page.vlm->fallback = "the answer was empty";
  parsed = worker_messages::parse_page(worker_messages::page("w", page));
  ASSERT_TRUE(parsed);
  EXPECT_FALSE(parsed->ok);
  EXPECT_EQ(parsed->vlm.requests, 3);
  EXPECT_EQ(parsed->vlm.retries, 2);
  EXPECT_TRUE(parsed->vlm.fallback);
  EXPECT_EQ(parsed->vlm.prompt_tokens, 700);
  EXPECT_EQ(parsed->vlm.completion_tokens, 55);
}

TEST(WorkerMessages, MalformedPageLinesAreRejected) {
  EXPECT_TRUE(worker_messages::parse_page("page w vlm ok 10 1 0 0 5 6"));
  EXPECT_FALSE(worker_messages::parse_page("page w vlm ok 10 1 0 0 5"));       // a word short
  EXPECT_FALSE(worker_messages::parse_page("page w vlm ok 10 1 0 0 5 6 7"));   // one too many
  EXPECT_FALSE(worker_messages::parse_page("page w magic ok 10 1 0 0 5 6"));   // no such method
  EXPECT_FALSE(worker_messages::parse_page("page w vlm maybe 10 1 0 0 5 6"));  // no such outcome
  EXPECT_FALSE(worker_messages::parse_page("page w vlm ok -10 1 0 0 5 6"));    // negative
  EXPECT_FALSE(worker_messages::parse_page("page w vlm ok 10 1 0 2 5 6"));     // fallback 0|1
  EXPECT_FALSE(worker_messages::parse_page("page w vlm ok 1x 1 0 0 5 6"));
  EXPECT_FALSE(worker_messages::parse_page("unit w job 1 1 0"));
}

TEST(WorkerMessages, WordsSplitOnSpaces) {
  const auto w = worker_messages::words("cancel  abc ");
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0], "cancel");
  EXPECT_EQ(w[1], "abc");
}

}  // namespace
}  // namespace docmill
