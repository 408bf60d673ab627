#pragma once
// Errors are values: every fallible function returns Result<T>. The code says what kind of
// failure it is (the API layer maps codes to HTTP statuses); the message is for a person.
#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace docmill {

enum class ErrorCode {
  kInvalidArgument,  // a bad setting, flag or request field
  kNotFound,         // no such job, page or file
  kNotPdf,           // the content is not a PDF
  kEncrypted,        // the PDF needs a password
  kCorrupt,          // the PDF (or a page of it) cannot be read
  kEmpty,            // an empty upload or a zero-page PDF
  kTooLarge,         // over the upload size limit
  kTooManyPages,     // over the page limit
  kQueueFull,        // too many jobs waiting
  kUnsupported,      // e.g. an OCR language that is not installed
  kCancelled,        // the work was stopped on purpose (job deleted, shutdown)
  kIo,               // the file system failed us
  kOcr,              // the OCR engine failed
  kUnavailable,      // a service we call is down or busy (refused, 429, 5xx): try again later
  kTimedOut,         // a service we call did not answer in time
  kDatabase,         // the job store failed
  kInternal,
};

std::string_view to_string(ErrorCode code);
// The code named by to_string(); kInternal for a name it does not know.
ErrorCode parse_error_code(std::string_view name);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
};

template <class T>
using Result = std::expected<T, Error>;
using Status = Result<void>;

inline std::unexpected<Error> fail(ErrorCode code, std::string message) {
  return std::unexpected(Error{code, std::move(message)});
}

}  // namespace docmill
