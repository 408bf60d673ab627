#pragma once
// Reads a multipart/form-data upload as it arrives: the "file" field is written straight to a
// file on disk (never held whole in memory) and counted against the size limit as it streams;
// the small form fields (lang, dpi, pages, force_ocr) are kept in memory.
#include <httplib.h>

#include <filesystem>
#include <map>
#include <string>

#include "core/error.h"

namespace docmill {

struct Upload {
  std::string filename;  // as the client named it
  long long size = 0;
  std::map<std::string, std::string, std::less<>> fields;  // every other field
};

// Streams the request body; the file field goes to `part_file`. Errors: kInvalidArgument (not
// multipart, no "file" field), kTooLarge (over `max_bytes`; the rest of the body is read and
// dropped so the client sees the answer), kIo. The caller removes `part_file` on error.
Result<Upload> receive_upload(const httplib::Request& req, const httplib::ContentReader& reader,
                              const std::filesystem::path& part_file, long long max_bytes);

}  // namespace docmill
