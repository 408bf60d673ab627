#include "api/upload_receiver.h"

#include <fstream>
#include <optional>

#include <fmt/format.h>

namespace docmill {
namespace {

constexpr const char* kFileField = "file";
// Form fields are a language code or a page list: anything longer is not one of ours.
constexpr size_t kMaxFieldBytes = 4096;
// Past the limit the body is still read (so the client, which is still sending, gets the
// 413 instead of a reset connection), but only up to this much more; then the connection is
// dropped.
constexpr long long kMaxDrainBytes = 64LL << 20;

}  // namespace

Result<Upload> receive_upload(const httplib::Request& req, const httplib::ContentReader& reader,
                              const std::filesystem::path& part_file, long long max_bytes) {
  if (!req.is_multipart_form_data()) {
    return fail(ErrorCode::kInvalidArgument,
                "send the PDF as multipart/form-data in the field 'file' "
                "(curl -F \"file=@document.pdf\")");
  }
  Upload upload;
  std::ofstream out;
  std::string current;  // the field being received
  bool have_file = false;
  bool too_large = false;
  long long dropped = 0;
  std::optional<Error> error;

  const bool read_ok = reader(
      [&](const httplib::MultipartFormData& part) {
        current = part.name;
        if (current != kFileField) return true;
        if (have_file) {
          error = Error{ErrorCode::kInvalidArgument, "send one file per request"};
          return false;
        }
        have_file = true;
        upload.filename = part.filename;
        out.open(part_file, std::ios::binary | std::ios::trunc);
        if (!out) {
          error = Error{ErrorCode::kIo, fmt::format("cannot store the upload in {}",
                                                    part_file.parent_path().string())};
          return false;
        }
        return true;
      },
      [&](const char* data, size_t n) {
        const auto len = static_cast<long long>(n);
        if (current != kFileField) {
          auto& value = upload.fields[current];
          if (value.size() + n > kMaxFieldBytes) {
            error = Error{ErrorCode::kInvalidArgument,
                          fmt::format("the form field '{}' is too long", current)};
            return false;
          }
          value.append(data, n);
          return true;
        }
        if (too_large) {
          dropped += len;
          return dropped <= kMaxDrainBytes;
        }
        if (upload.size + len > max_bytes) {
          too_large = true;
          out.close();
          std::error_code ec;
          std::filesystem::remove(part_file, ec);  // free the disk now, not at the end
          return true;
        }
        out.write(data, static_cast<std::streamsize>(n));
        upload.size += len;
        if (!out) {
          error = Error{ErrorCode::kIo, "cannot store the upload (disk full?)"};
          return false;
        }
        return true;
      });

  if (too_large) {
    return fail(ErrorCode::kTooLarge,
                fmt::format("the upload is larger than the limit of {} MB (DOCMILL_MAX_UPLOAD_MB)",
                            max_bytes >> 20));
  }
  if (error) return std::unexpected(*error);
  if (!read_ok) return fail(ErrorCode::kInvalidArgument, "the upload was cut off or malformed");
  if (!have_file) {
    return fail(ErrorCode::kInvalidArgument,
                "no file: send the PDF in the multipart form field 'file'");
  }
  out.close();
  if (!out) return fail(ErrorCode::kIo, "cannot store the upload (disk full?)");
  return upload;
}

}  // namespace docmill
