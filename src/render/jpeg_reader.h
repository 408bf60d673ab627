#pragma once
// JPEG bytes back to pixels: the page image sent to a model is kept only as the JPEG it was
// sent as, and the figures the model found are cropped from it, so the page is rendered once.
#include <string_view>

#include "core/error.h"
#include "core/raster.h"

namespace docmill {

// A baseline or progressive JPEG as gray (1 channel) or RGB (3); kCorrupt when it is not one.
Result<Raster> decode_jpeg(std::string_view bytes);

}  // namespace docmill
