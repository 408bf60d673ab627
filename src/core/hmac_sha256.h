#pragma once
// HMAC-SHA256 (RFC 2104 over SHA-256, OpenSSL's libcrypto), as lower-case hex: what signs a
// webhook's body.
#include <string>
#include <string_view>

namespace docmill {

std::string hmac_sha256_hex(std::string_view key, std::string_view data);

}  // namespace docmill
