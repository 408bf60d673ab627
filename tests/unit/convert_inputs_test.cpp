// `docmill convert`'s inputs as documents and directories (cli/convert_inputs): one file writes
// into OUT, several get OUT/<name>/ with clashes numbered in input order; and `--format`.
#include "cli/convert_inputs.h"

#include <gtest/gtest.h>

#include "support/pdf_factory.h"
#include "support/temp_dir.h"

namespace docmill {
namespace {

using namespace docmill::testing;

std::vector<std::string> out_names(const ConvertInputs& inputs) {
  std::vector<std::string> names;
  for (const auto& d : inputs.documents) names.push_back(d.out_dir.filename().string());
  return names;
}

TEST(ConvertInputs, OneFileWritesIntoOutItself) {
  const std::vector<std::string> given = {"/x/report.pdf"};
  auto inputs = collect_convert_inputs(given, "/out");
  ASSERT_TRUE(inputs) << inputs.error().message;
  EXPECT_TRUE(inputs->single);
  ASSERT_EQ(inputs->documents.size(), 1u);
  EXPECT_EQ(inputs->documents[0].out_dir, "/out");
}

TEST(ConvertInputs, ClashingStemsAreNumberedInInputOrderAndTold) {
  // "b-2" is a real stem: the second "b" must not take its name.
  const std::vector<std::string> given = {"/x/a.pdf", "/y/b.pdf", "/z/b.pdf", "/w/b-2.pdf",
                                          "/v/a.PDF"};
  auto inputs = collect_convert_inputs(given, "/out");
  ASSERT_TRUE(inputs) << inputs.error().message;
  EXPECT_FALSE(inputs->single);
  EXPECT_EQ(out_names(*inputs), (std::vector<std::string>{"a", "b", "b-3", "b-2", "a-2"}));
  EXPECT_EQ(inputs->notes.size(), 2u);
}

TEST(ConvertInputs, DirectoriesAreSearchedRecursivelyInNameOrder) {
  TempDir dir;
  write_bytes(dir / "d" / "z.pdf", "");
  std::filesystem::create_directories(dir / "d" / "sub");
  write_bytes(dir / "d" / "sub" / "m.pdf", "");
  write_bytes(dir / "d" / "readme.txt", "");
  const std::vector<std::string> given = {(dir / "d").string(), (dir / "d" / "z.pdf").string()};
  auto inputs = collect_convert_inputs(given, "/out");
  ASSERT_TRUE(inputs) << inputs.error().message;
  EXPECT_FALSE(inputs->single) << "a directory: OUT/<name>/ even for one PDF";
  EXPECT_EQ(out_names(*inputs), (std::vector<std::string>{"m", "z"})) << "z.pdf given twice";
}

TEST(ConvertInputs, NothingToConvertIsAnError) {
  TempDir dir;
  std::filesystem::create_directories(dir / "empty");
  const std::vector<std::string> given = {(dir / "empty").string()};
  EXPECT_FALSE(collect_convert_inputs(given, "/out"));
}

TEST(OutputSetFlags, ListsAndRepeatsAddUpAndNoneMeansAll) {
  auto all = parse_output_set({});
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->markdown && all->markdown_det && all->pages_json && all->layout_pdf &&
              all->searchable_pdf);
  const std::vector<std::string> some = {"json,pdf", "searchable"};
  auto set = parse_output_set(some);
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_FALSE(set->markdown);
  EXPECT_FALSE(set->markdown_det);
  EXPECT_FALSE(set->figures());
  EXPECT_TRUE(set->pages_json && set->layout_pdf && set->searchable_pdf);
  const std::vector<std::string> det = {"det"};
  EXPECT_TRUE(parse_output_set(det)->figures()) << "output_det.md names the figures too";
  const std::vector<std::string> bad = {"md,docx"};
  EXPECT_FALSE(parse_output_set(bad));
}

}  // namespace
}  // namespace docmill
