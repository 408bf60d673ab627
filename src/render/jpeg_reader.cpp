#include "render/jpeg_reader.h"

#include <fmt/format.h>

#include "render/jpeg_error.h"

namespace docmill {

Result<Raster> decode_jpeg(std::string_view bytes) {
  jpeg_decompress_struct cinfo{};
  jpeg::ErrorManager err{};
  Raster out;
  cinfo.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = jpeg::on_error;
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    return fail(ErrorCode::kCorrupt, fmt::format("cannot decode a JPEG: {}", err.message));
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(bytes.data()),
               static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&cinfo, TRUE);
  cinfo.out_color_space = cinfo.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_start_decompress(&cinfo);
  out.width = static_cast<int>(cinfo.output_width);
  out.height = static_cast<int>(cinfo.output_height);
  out.channels = static_cast<int>(cinfo.output_components);
  out.pixels.resize(static_cast<size_t>(out.stride()) * static_cast<size_t>(out.height));
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = &out.pixels[static_cast<size_t>(cinfo.output_scanline) * out.stride()];
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return out;
}

}  // namespace docmill
