#include <gtest/gtest.h>

#include "core/clock.h"
#include "core/ids.h"
#include "core/page_range.h"

namespace docmill {
namespace {

TEST(PageRange, EmptyMeansEveryPage) {
  auto r = parse_page_range("", 3);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, (std::vector<int>{0, 1, 2}));
}

TEST(PageRange, RangesAndSinglesAreZeroBasedSortedUnique) {
  auto r = parse_page_range("8, 1-3,2", 10);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, (std::vector<int>{0, 1, 2, 7}));
}

TEST(PageRange, RejectsPagesPastTheEndAndGarbage) {
  EXPECT_EQ(parse_page_range("4", 3).error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(parse_page_range("0", 3));
  EXPECT_FALSE(parse_page_range("a-b", 3));
  EXPECT_FALSE(parse_page_range("3-1", 3));
  EXPECT_NE(parse_page_range("9", 3).error().message.find("3 pages"), std::string::npos);
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

}  // namespace
}  // namespace docmill
