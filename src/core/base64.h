#pragma once
// Base64 (RFC 4648, standard alphabet, padded), for images sent inline as data URLs.
#include <optional>
#include <string>
#include <string_view>

namespace docmill {

std::string base64_encode(std::string_view bytes);

// The decoded bytes; nullopt when `text` is not padded standard base64 (whitespace is not
// allowed either: data URLs carry none).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace docmill
