#include "render/jpeg_writer.h"

#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include "core/files.h"
#include "render/jpeg_error.h"

namespace docmill {

Result<std::string> encode_jpeg(const Raster& image, int quality) {
  if (image.empty()) return fail(ErrorCode::kInternal, "cannot encode an empty image");
  jpeg_compress_struct cinfo{};
  jpeg::ErrorManager err{};
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  cinfo.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = jpeg::on_error;
  if (setjmp(err.jump)) {
    jpeg_destroy_compress(&cinfo);
    std::free(buffer);
    return fail(ErrorCode::kInternal, fmt::format("cannot encode a JPEG: {}", err.message));
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, &buffer, &size);
  cinfo.image_width = static_cast<JDIMENSION>(image.width);
  cinfo.image_height = static_cast<JDIMENSION>(image.height);
  cinfo.input_components = image.channels;
  cinfo.in_color_space = image.channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(
        &image.pixels[static_cast<size_t>(cinfo.next_scanline) * image.stride()]);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  std::string bytes(reinterpret_cast<const char*>(buffer), size);
  std::free(buffer);
  return bytes;
}

Status write_jpeg(const Raster& image, const std::filesystem::path& path, int quality) {
  auto bytes = encode_jpeg(image, quality);
  if (!bytes) return std::unexpected(bytes.error());
  return write_file_atomic(path, *bytes);
}

}  // namespace docmill
