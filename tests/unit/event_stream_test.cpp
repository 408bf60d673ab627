// Server-Sent Events framing, the event id rule and what a job's stream sends reading after
// reading (api/event_stream.h); the HTTP side is in tests/e2e/events_e2e_test.cpp.
#include <gtest/gtest.h>

#include <chrono>

#include "api/event_stream.h"

namespace docmill {
namespace {

using namespace std::chrono_literals;
using Clock = JobEventFeed::Clock;

Job job_at(JobStatus status, int processed) {
  Job j;
  j.job_id = "abc";
  j.status = status;
  j.total_pages = 4;
  j.processed_pages = processed;
  return j;
}

std::string data_of(const Job& j) {
  return std::string(to_string(j.status)) + "/" + std::to_string(j.processed_pages);
}

TEST(SseFraming, EventHasIdNameAndOneDataLinePerLine) {
  EXPECT_EQ(sse_event("status", 7, R"({"a":1})"), "id: 7\nevent: status\ndata: {\"a\":1}\n\n");
  EXPECT_EQ(sse_event("x", 1, "one\ntwo"), "id: 1\nevent: x\ndata: one\ndata: two\n\n");
  EXPECT_EQ(sse_event("x", 1, ""), "id: 1\nevent: x\ndata: \n\n");
  EXPECT_EQ(sse_comment("keep-alive"), ": keep-alive\n\n");
}

TEST(SseEventId, GrowsWithEveryChangeOfStatusOrPages) {
  // The states a job passes through, in order: every step a larger id.
  const Job states[] = {
      job_at(JobStatus::kPending, 0),    job_at(JobStatus::kProcessing, 0),
      job_at(JobStatus::kProcessing, 1), job_at(JobStatus::kProcessing, 2),
      job_at(JobStatus::kProcessing, 4), job_at(JobStatus::kCompleted, 4),
  };
  for (size_t i = 1; i < std::size(states); ++i) {
    EXPECT_LT(status_event_id(states[i - 1]), status_event_id(states[i])) << i;
  }
  // Skipping states (a slow reader) still grows; failing with pages undone too.
  EXPECT_LT(status_event_id(job_at(JobStatus::kPending, 0)),
            status_event_id(job_at(JobStatus::kProcessing, 3)));
  EXPECT_LT(status_event_id(job_at(JobStatus::kProcessing, 1)),
            status_event_id(job_at(JobStatus::kFailed, 1)));
  EXPECT_LT(status_event_id(job_at(JobStatus::kCompleted, 1)),
            status_event_id(job_at(JobStatus::kProcessing, 2)));
  // The same state, the same id, on any stream.
  EXPECT_EQ(status_event_id(job_at(JobStatus::kProcessing, 2)),
            status_event_id(job_at(JobStatus::kProcessing, 2)));
  EXPECT_GE(status_event_id(job_at(JobStatus::kPending, 0)), 1u);
}

TEST(JobEventFeed, FirstReadingIsSentAtOnceThenOnlyChanges) {
  const auto t0 = Clock::now();
  JobEventFeed feed(15s, t0);
  const Job p1 = job_at(JobStatus::kProcessing, 1);
  EXPECT_EQ(feed.next(p1, data_of, t0), sse_event("status", status_event_id(p1), "processing/1"));
  EXPECT_EQ(feed.next(p1, data_of, t0 + 1s), "");  // nothing changed
  Job p1_later = p1;
  p1_later.updated_at = "later";  // not status or pages: no event
  EXPECT_EQ(feed.next(p1_later, data_of, t0 + 2s), "");
  const Job p2 = job_at(JobStatus::kProcessing, 2);
  EXPECT_EQ(feed.next(p2, data_of, t0 + 3s),
            sse_event("status", status_event_id(p2), "processing/2"));
  EXPECT_FALSE(feed.ended());
}

TEST(JobEventFeed, KeepAliveAfterSilence) {
  const auto t0 = Clock::now();
  JobEventFeed feed(15s, t0);
  const Job p = job_at(JobStatus::kPending, 0);
  ASSERT_FALSE(feed.next(p, data_of, t0).empty());
  EXPECT_EQ(feed.next(p, data_of, t0 + 14s), "");
  EXPECT_EQ(feed.next(p, data_of, t0 + 15s), sse_comment("keep-alive"));
  EXPECT_EQ(feed.next(p, data_of, t0 + 20s), "");  // the comment counts as sent
  EXPECT_EQ(feed.next(p, data_of, t0 + 30s), sse_comment("keep-alive"));
}

TEST(JobEventFeed, EndsAfterCompletedOrFailed) {
  for (const auto status : {JobStatus::kCompleted, JobStatus::kFailed}) {
    const auto t0 = Clock::now();
    JobEventFeed feed(15s, t0);
    ASSERT_FALSE(feed.next(job_at(JobStatus::kProcessing, 3), data_of, t0).empty());
    const Job end = job_at(status, 4);
    EXPECT_EQ(feed.next(end, data_of, t0), sse_event("status", status_event_id(end), data_of(end)));
    EXPECT_TRUE(feed.ended());
    EXPECT_EQ(feed.next(end, data_of, t0 + 1h), "");  // nothing after the end
  }
  // A stream opened on a finished job: its one event, then the end.
  JobEventFeed late(15s, Clock::now());
  EXPECT_FALSE(late.next(job_at(JobStatus::kCompleted, 4), data_of, Clock::now()).empty());
  EXPECT_TRUE(late.ended());
}

TEST(JobEventFeed, DeletedJobEndsTheStreamWithADeletedEvent) {
  const auto t0 = Clock::now();
  JobEventFeed feed(15s, t0);
  const Job p = job_at(JobStatus::kProcessing, 2);
  ASSERT_FALSE(feed.next(p, data_of, t0).empty());
  EXPECT_EQ(feed.next(std::nullopt, data_of, t0 + 1s),
            sse_event("deleted", status_event_id(p) + 1, R"({"job_id":"abc","status":"deleted"})"));
  EXPECT_TRUE(feed.ended());
  EXPECT_EQ(feed.next(std::nullopt, data_of, t0 + 2s), "");
}

}  // namespace
}  // namespace docmill
