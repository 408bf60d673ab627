#include <gtest/gtest.h>

#include <cstdio>
// jpeglib.h needs FILE and size_t declared first.
#include <jpeglib.h>

#include <optional>
#include <vector>

#include "render/jpeg_reader.h"
#include "render/jpeg_writer.h"
#include "support/pdf_factory.h"
#include "support/temp_dir.h"

namespace docmill {
namespace {

using testing::read_bytes;
using testing::TempDir;

struct Decoded {
  int width = 0;
  int height = 0;
  int components = 0;
  std::vector<std::uint8_t> pixels;
};

// Decodes with libjpeg itself: an independent check that the file is a JPEG others can read.
// The default error handler would exit(); a corrupt file would end the test run, so the file is
// only decoded after its markers were checked.
std::optional<Decoded> decode(const std::string& bytes) {
  jpeg_decompress_struct cinfo{};
  jpeg_error_mgr err{};
  cinfo.err = jpeg_std_error(&err);
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(bytes.data()),
               static_cast<unsigned long>(bytes.size()));
  if (jpeg_read_header(&cinfo, TRUE) != JPEG_HEADER_OK) {
    jpeg_destroy_decompress(&cinfo);
    return std::nullopt;
  }
  jpeg_start_decompress(&cinfo);
  Decoded d;
  d.width = static_cast<int>(cinfo.output_width);
  d.height = static_cast<int>(cinfo.output_height);
  d.components = cinfo.output_components;
  d.pixels.resize(static_cast<size_t>(d.width) * d.height * d.components);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = &d.pixels[static_cast<size_t>(cinfo.output_scanline) * d.width * d.components];
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return d;
}

bool has_jpeg_markers(const std::string& b) {
  return b.size() > 4 && static_cast<unsigned char>(b[0]) == 0xFF &&
         static_cast<unsigned char>(b[1]) == 0xD8 &&
         static_cast<unsigned char>(b[b.size() - 2]) == 0xFF &&
         static_cast<unsigned char>(b[b.size() - 1]) == 0xD9;
}

TEST(JpegWriter, GrayImageDecodesToSameSizeAndTone) {
  TempDir dir;
  Raster r{64, 48, 1, std::vector<std::uint8_t>(64 * 48, 128)};
  const auto path = dir / "0_0.jpg";
  ASSERT_TRUE(write_jpeg(r, path));
  const std::string bytes = read_bytes(path);
  ASSERT_TRUE(has_jpeg_markers(bytes)) << "SOI at the start, EOI at the end";
  const auto d = decode(bytes);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->width, 64);
  EXPECT_EQ(d->height, 48);
  EXPECT_EQ(d->components, 1);
  for (auto p : d->pixels) ASSERT_NEAR(p, 128, 3);
}

TEST(JpegWriter, RgbImageKeepsItsColour) {
  TempDir dir;
  Raster r{31, 17, 3, {}};  // odd sizes: no assumption of 8x8 blocks
  for (int i = 0; i < r.width * r.height; ++i) {
    r.pixels.insert(r.pixels.end(), {200, 30, 40});
  }
  const auto path = dir / "1_2.jpg";
  ASSERT_TRUE(write_jpeg(r, path));
  const std::string bytes = read_bytes(path);
  ASSERT_TRUE(has_jpeg_markers(bytes));
  const auto d = decode(bytes);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->width, 31);
  EXPECT_EQ(d->height, 17);
  ASSERT_EQ(d->components, 3);
  const size_t mid = (static_cast<size_t>(8) * 31 + 15) * 3;
  EXPECT_NEAR(d->pixels[mid], 200, 12);
  EXPECT_NEAR(d->pixels[mid + 1], 30, 12);
  EXPECT_NEAR(d->pixels[mid + 2], 40, 12);
}

TEST(JpegWriter, EmptyImageIsAnErrorNotAFile) {
  TempDir dir;
  const auto path = dir / "empty.jpg";
  const auto ok = write_jpeg(Raster{}, path);
  EXPECT_FALSE(ok);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(JpegWriter, UnwritablePathIsAnIoError) {
  TempDir dir;
  Raster r{8, 8, 1, std::vector<std::uint8_t>(64, 0)};
  const auto ok = write_jpeg(r, dir / "no" / "such" / "dir.jpg");
  ASSERT_FALSE(ok);
  EXPECT_EQ(ok.error().code, ErrorCode::kIo);
  EXPECT_NE(ok.error().message.find("dir.jpg"), std::string::npos) << ok.error().message;
}

TEST(JpegReader, EncodedPixelsComeBackCloseToThemselves) {
  // Left half dark, right half light: JPEG keeps a step this coarse within a few levels.
  Raster rgb{64, 32, 3, std::vector<std::uint8_t>(64 * 32 * 3)};
  for (int y = 0; y < 32; ++y) {
    for (int x = 0; x < 64; ++x) {
      for (int c = 0; c < 3; ++c) rgb.pixels[(y * 64 + x) * 3 + c] = x < 32 ? 30 : 220;
    }
  }
  auto bytes = encode_jpeg(rgb, 90);
  ASSERT_TRUE(bytes) << bytes.error().message;
  auto back = decode_jpeg(*bytes);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->width, 64);
  EXPECT_EQ(back->height, 32);
  EXPECT_EQ(back->channels, 3);
  EXPECT_NEAR(back->pixels[(16 * 64 + 8) * 3], 30, 8);
  EXPECT_NEAR(back->pixels[(16 * 64 + 56) * 3], 220, 8);

  Raster gray{16, 16, 1, std::vector<std::uint8_t>(256, 128)};
  auto gray_back = decode_jpeg(*encode_jpeg(gray));
  ASSERT_TRUE(gray_back);
  EXPECT_EQ(gray_back->channels, 1);
}

TEST(JpegReader, BytesThatAreNotAJpegAreCorruptNotACrash) {
  for (std::string_view bad : {std::string_view(""), std::string_view("not a jpeg"),
                               std::string_view("\xff\xd8\xff\xe0 truncated")}) {
    auto r = decode_jpeg(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kCorrupt);
  }
}

}  // namespace
}  // namespace docmill
