#pragma once
#include <filesystem>
#include <string>

#include "core/error.h"
#include "core/raster.h"

namespace docmill {

// A gray or RGB raster as the bytes of a baseline JPEG.
Result<std::string> encode_jpeg(const Raster& image, int quality = 88);

// Writes a gray or RGB raster as a baseline JPEG.
Status write_jpeg(const Raster& image, const std::filesystem::path& path, int quality = 88);

}  // namespace docmill
