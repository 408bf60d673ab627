// The streamed zip writer, read back by Python's zipfile and Info-ZIP's unzip: entries, methods,
// contents, CRCs, and the ZIP64 fields (forced at small sizes by a lowered threshold).
#include <gtest/gtest.h>

#include <random>

#include <fmt/format.h>

#include "core/zip_writer.h"
#include "support/zip_reader.h"

namespace docmill {
namespace {

struct Item {
  std::string name;
  ZipMethod method;
  std::string data;
};

std::string random_bytes(size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(gen() & 0xFF);
  return s;
}

// Writes `items` in pieces of `piece` bytes; the archive's bytes.
std::string zip_of(const std::vector<Item>& items, std::uint64_t zip64_from = 0xFFFF'FFFF,
                   size_t piece = 1000) {
  std::string out;
  ZipWriter zip(
      [&](std::string_view b) {
        EXPECT_FALSE(b.empty());
        out += b;
        return true;
      },
      zip64_from);
  for (const auto& it : items) {
    EXPECT_TRUE(zip.begin(it.name, it.method, it.data.size(), 1'700'000'000));
    for (size_t at = 0; at < it.data.size(); at += piece) {
      EXPECT_TRUE(zip.write(std::string_view(it.data).substr(at, piece)));
    }
    EXPECT_TRUE(zip.end());
  }
  EXPECT_TRUE(zip.finish());
  EXPECT_EQ(zip.bytes_written(), out.size());
  return out;
}

void expect_round_trip(const std::vector<Item>& items, const std::string& archive) {
  std::string why;
  const auto read = testing::read_zip(archive, &why);
  ASSERT_TRUE(read) << why;
  ASSERT_EQ(read->size(), items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ((*read)[i].name, items[i].name);
    EXPECT_EQ((*read)[i].method, items[i].method == ZipMethod::kDeflated ? 8 : 0) << items[i].name;
    EXPECT_EQ((*read)[i].data, items[i].data) << items[i].name;
  }
  if (testing::have_unzip()) {
    EXPECT_TRUE(testing::unzip_test_passes(archive));
  }
}

std::vector<Item> sample_items() {
  std::string text;
  for (int i = 0; i < 3000; ++i) text += fmt::format("# Line {}\n\nSome text of line {}.\n", i, i);
  return {
      {"output.md", ZipMethod::kDeflated, text},
      {"empty.md", ZipMethod::kDeflated, ""},
      {"layout.pdf", ZipMethod::kStored, random_bytes(200'000, 1)},
      {"images/0_0.jpg", ZipMethod::kStored, random_bytes(5'000, 2)},
      {"images/empty.jpg", ZipMethod::kStored, ""},
      {"random.md", ZipMethod::kDeflated, random_bytes(150'000, 3)},  // deflate cannot shrink it
  };
}

TEST(ZipWriter, ArchiveReadsBackEntryForEntry) {
  const auto items = sample_items();
  const std::string archive = zip_of(items);
  expect_round_trip(items, archive);
  // Text was deflated: the archive is smaller than its stored parts plus the text.
  EXPECT_LT(archive.size(), 200'000 + 5'000 + 150'000 + items[0].data.size() / 2);
}

TEST(ZipWriter, WholeWritesAndOneByteWritesMakeTheSameEntries) {
  const auto items = sample_items();
  expect_round_trip(items, zip_of(items, 0xFFFF'FFFF, 1 << 20));
  const std::vector<Item> small = {{"a.md", ZipMethod::kDeflated, "abc\ndef\n"},
                                   {"b.pdf", ZipMethod::kStored, "%PDF-1.4"}};
  expect_round_trip(small, zip_of(small, 0xFFFF'FFFF, 1));
}

TEST(ZipWriter, Zip64FieldsWhereSizesAndOffsetsNeedThem) {
  // From 1000 bytes up, as if from 4 GiB: large entries get ZIP64 local headers and data
  // descriptors, late entries ZIP64 offsets, and the archive a ZIP64 end record.
  const auto items = sample_items();
  const std::string archive = zip_of(items, 1000);
  expect_round_trip(items, archive);
  EXPECT_NE(archive.find(std::string("PK\x06\x06", 4)), std::string::npos);
  EXPECT_NE(archive.find(std::string("PK\x06\x07", 4)), std::string::npos);
  EXPECT_EQ(zip_of(items).find(std::string("PK\x06\x06", 4)), std::string::npos);
}

TEST(ZipWriter, AReaderThatStopsFailsTheWriter) {
  int calls = 0;
  ZipWriter zip([&](std::string_view) { return ++calls < 2; });
  ASSERT_TRUE(zip.begin("a.pdf", ZipMethod::kStored, 10, 0));
  auto w = zip.write("0123456789");
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, ErrorCode::kIo);
  EXPECT_FALSE(zip.end());
  EXPECT_FALSE(zip.finish());
}

TEST(ZipWriter, CallsOutOfTurnAreErrors) {
  ZipWriter zip([](std::string_view) { return true; });
  EXPECT_FALSE(zip.write("x"));
  EXPECT_FALSE(zip.end());
  ASSERT_TRUE(zip.begin("a", ZipMethod::kStored, 0, 0));
  EXPECT_FALSE(zip.begin("b", ZipMethod::kStored, 0, 0));
  EXPECT_FALSE(zip.finish());
  ASSERT_TRUE(zip.end());
  ASSERT_TRUE(zip.finish());
  EXPECT_FALSE(zip.begin("c", ZipMethod::kStored, 0, 0));
}

}  // namespace
}  // namespace docmill
