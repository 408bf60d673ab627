#pragma once
#include <filesystem>

#include "core/error.h"
#include "core/raster.h"

namespace docmill {

// Writes a gray or RGB raster as a baseline JPEG.
Status write_jpeg(const Raster& image, const std::filesystem::path& path, int quality = 88);

}  // namespace docmill
