#include "app/data_dir.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.h"

namespace docmill {
namespace {

TEST(DataDir, ADataDirThatCannotBeMadeStopsTheStartNamingIt) {
  testing::TempDir tmp;
  const auto file = tmp.path() / "not-a-directory";
  std::ofstream(file) << "x";
  auto ok = prepare_data_dir(JobPaths(file / "data"));
  ASSERT_FALSE(ok);
  EXPECT_EQ(ok.error().code, ErrorCode::kIo);
  EXPECT_NE(ok.error().message.find("DOCMILL_DATA_DIR"), std::string::npos) << ok.error().message;
  EXPECT_NE(ok.error().message.find((file / "data").string()), std::string::npos)
      << ok.error().message;
}

TEST(DataDir, AWritableDataDirIsPreparedAndLeftClean) {
  testing::TempDir tmp;
  const JobPaths paths(tmp.path() / "data");
  ASSERT_TRUE(prepare_data_dir(paths));
  EXPECT_TRUE(std::filesystem::is_directory(paths.jobs_dir()));
  EXPECT_TRUE(std::filesystem::is_directory(paths.uploads_dir()));
  int entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(paths.data_dir())) {
    ++entries;
  }
  EXPECT_EQ(entries, 2);  // jobs/ and uploads/: the write check leaves nothing
}

}  // namespace
}  // namespace docmill
