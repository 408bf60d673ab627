#include <gtest/gtest.h>

#include <chrono>
#include <stop_token>
#include <thread>

#include "core/change_signal.h"
#include "core/clock.h"
#include "core/ids.h"
#include "core/page_range.h"
#include "core/slots.h"

namespace docmill {
namespace {

TEST(PageRange, EmptyMeansEveryPage) {
  auto r = parse_page_range("", 3, 100);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, (std::vector<int>{0, 1, 2}));
}

TEST(PageRange, RangesAndSinglesAreZeroBasedSortedUnique) {
  auto r = parse_page_range("8, 1-3,2", 10, 100);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, (std::vector<int>{0, 1, 2, 7}));
}

TEST(PageRange, RejectsPagesPastTheEndAndGarbage) {
  EXPECT_EQ(parse_page_range("4", 3, 100).error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(parse_page_range("0", 3, 100));
  EXPECT_FALSE(parse_page_range("a-b", 3, 100));
  EXPECT_FALSE(parse_page_range("3-1", 3, 100));
  EXPECT_NE(parse_page_range("9", 3, 100).error().message.find("3 pages"), std::string::npos);
}

TEST(PageRange, MorePagesThanTheLimitAreRefusedByCount) {
  // A page tree claiming a billion pages: refused from the count alone, nothing allocated per
  // page (a vector of a billion ints would be 4 GB).
  auto all = parse_page_range("", 1'000'000'000, 2000);
  ASSERT_FALSE(all);
  EXPECT_EQ(all.error().code, ErrorCode::kTooManyPages);
  EXPECT_EQ(all.error().message, "1000000000 pages selected, over the limit of 2000");
  auto range = parse_page_range("1-2000000000", 2'147'483'647, 10);
  ASSERT_FALSE(range);
  EXPECT_EQ(range.error().code, ErrorCode::kTooManyPages);
}

TEST(PageRange, LimitCountsDistinctSelectedPages) {
  // Overlapping ranges count once; a short selection of a huge document is fine.
  auto r = parse_page_range("1-3,2-4,4", 1'000'000'000, 4);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(parse_page_range("1-5", 10, 4).error().code, ErrorCode::kTooManyPages);
  EXPECT_TRUE(parse_page_range("", 4, 4));
}

TEST(Ids, NewIdsAreUuidV4AndDistinct) {
  const auto a = new_job_id();
  const auto b = new_job_id();
  EXPECT_TRUE(is_job_id(a));
  EXPECT_NE(a, b);
  EXPECT_EQ(a[14], '4');
}

TEST(Ids, PathsAreNotIds) {
  EXPECT_FALSE(is_job_id("../etc/passwd"));
  EXPECT_FALSE(is_job_id(""));
  EXPECT_FALSE(is_job_id("123e4567-e89b-12d3-a456-42661417400/"));
  EXPECT_TRUE(is_job_id("123e4567-e89b-12d3-a456-426614174000"));
}

TEST(Clock, Iso8601Utc) {
  std::chrono::system_clock::time_point t{std::chrono::seconds{1761991200}};
  EXPECT_EQ(iso8601_utc(t), "2025-11-01T10:00:00Z");
}

using namespace std::chrono_literals;

TEST(ChangeSignal, WaitEndsOnAChangeMadeBeforeOrDuringIt) {
  ChangeSignal signal;
  std::stop_source never;
  const auto seen = signal.count();
  signal.notify();  // between a reader's look at the state and its wait: not missed
  EXPECT_EQ(signal.wait_past(seen, 1h, never.get_token()), seen + 1);
  std::jthread notifier([&] { signal.notify(); });
  EXPECT_EQ(signal.wait_past(seen + 1, 1h, never.get_token()), seen + 2);
}

TEST(ChangeSignal, WaitEndsWhenStoppedOrTimedOut) {
  ChangeSignal signal;
  std::stop_source stop;
  stop.request_stop();
  EXPECT_EQ(signal.wait_past(signal.count(), 1h, stop.get_token()), 0u);
  std::stop_source never;
  EXPECT_EQ(signal.wait_past(signal.count(), 1ms, never.get_token()), 0u);
}

TEST(Slots, TryAcquireTakesOnlyFreeSlotsAndReleaseGivesThemBack) {
  Slots slots(2);
  EXPECT_TRUE(slots.try_acquire());
  EXPECT_TRUE(slots.try_acquire());
  EXPECT_FALSE(slots.try_acquire());
  slots.release();
  EXPECT_TRUE(slots.try_acquire());
  EXPECT_FALSE(slots.try_acquire());
}

TEST(Slots, WaitAllFreeReturnsWhenTheLastSlotIsGivenBackAndOtherwiseTimesOut) {
  Slots slots(2);
  EXPECT_TRUE(slots.wait_all_free(0ms));
  ASSERT_TRUE(slots.try_acquire());
  ASSERT_TRUE(slots.try_acquire());
  EXPECT_FALSE(slots.wait_all_free(10ms));
  std::jthread giver([&] {
    std::this_thread::sleep_for(20ms);
    slots.release();
    std::this_thread::sleep_for(20ms);
    slots.release();
  });
  EXPECT_TRUE(slots.wait_all_free(1h));
}

}  // namespace
}  // namespace docmill
