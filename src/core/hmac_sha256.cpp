#include "core/hmac_sha256.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <fmt/format.h>

namespace docmill {

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE] = {};
  unsigned int length = 0;
  // One-shot HMAC() cannot fail with SHA-256 and a key of any length; a null result would
  // only mean an allocation failure inside OpenSSL, signed as an empty digest.
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest,
           &length) == nullptr) {
    length = 0;
  }
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i)
    fmt::format_to(std::back_inserter(hex), "{:02x}", digest[i]);
  return hex;
}

}  // namespace docmill
