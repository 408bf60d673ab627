#include "blobs/s3_client.h"

#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <memory>
#include <thread>

#include <fmt/format.h>

namespace docmill {
namespace {

// Error bodies and listing pages are small; anything past this is cut off.
constexpr size_t kMaxAnswerBytes = 4u << 20;
constexpr int kAttempts = 3;
constexpr std::array<std::chrono::milliseconds, kAttempts - 1> kPauses{
    std::chrono::milliseconds(200), std::chrono::milliseconds(1000)};
// SHA-256 of nothing: the payload hash of every request without a body.
constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// The file's SHA-256 as lower-case hex: signed with the request, so the store refuses a body
// that arrived damaged.
Result<std::string> sha256_of_file(const std::filesystem::path& file) {
  File in(std::fopen(file.c_str(), "rb"));
  if (!in) return fail(ErrorCode::kIo, fmt::format("cannot read {}", file.string()));
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    return fail(ErrorCode::kInternal, "cannot start a SHA-256 digest");
  }
  std::array<char, 64 * 1024> buf{};
  size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), in.get())) > 0) {
    EVP_DigestUpdate(ctx.get(), buf.data(), n);
  }
  if (std::ferror(in.get()))
    return fail(ErrorCode::kIo, fmt::format("cannot read {}", file.string()));
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), digest.data(), &len);
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

// Where a response body goes: the download file for a 200 to a GET of an object, else memory.
struct Sink {
  CURL* easy = nullptr;
  std::FILE* file = nullptr;
  std::string body;
};

size_t write_body(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t n = size * count;
  long status = 0;
  curl_easy_getinfo(sink->easy, CURLINFO_RESPONSE_CODE, &status);
  if (sink->file != nullptr && status == 200) return std::fwrite(data, 1, n, sink->file);
  if (sink->body.size() + n > kMaxAnswerBytes) return 0;
  sink->body.append(data, n);
  return n;
}

bool worth_repeating(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return true;
    default:
      return false;
  }
}

bool worth_repeating(long status) {
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

// The first <tag>…</tag> in `xml` from `from` on, as it stands (entities not decoded); empty
// when absent. `end`, when given, is set past the closing tag (0 when absent). S3's answers are
// flat enough that this is all the XML reading they need.
std::string_view xml_element(std::string_view xml, std::string_view tag, size_t from = 0,
                             size_t* end = nullptr) {
  if (end != nullptr) *end = 0;
  const std::string open = fmt::format("<{}>", tag);
  const std::string close = fmt::format("</{}>", tag);
  const size_t a = xml.find(open, from);
  if (a == std::string_view::npos) return {};
  const size_t b = xml.find(close, a + open.size());
  if (b == std::string_view::npos) return {};
  if (end != nullptr) *end = b + close.size();
  return xml.substr(a + open.size(), b - a - open.size());
}

// The element's text with XML's five entities decoded.
std::string xml_text(std::string_view xml, std::string_view tag) {
  const std::string_view raw = xml_element(xml, tag);
  static constexpr std::array<std::pair<std::string_view, char>, 5> kEntities{
      {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}}};
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    const auto entity = std::find_if(kEntities.begin(), kEntities.end(), [&](const auto& e) {
      return raw.substr(i, e.first.size()) == e.first;
    });
    if (entity == kEntities.end()) {
      out += raw[i];
    } else {
      out += entity->second;
      i += entity->first.size() - 1;
    }
  }
  return out;
}

// "2026-12-03T10:12:47.000Z" -> a time point; the epoch when it does not parse.
std::chrono::system_clock::time_point parse_modified(const std::string& text) {
  std::tm tm{};
  if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
    return {};
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

}  // namespace

std::string s3_uri_encode(std::string_view s, bool keep_slash) {
  std::string out;
  for (const unsigned char c : s) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

S3Client::S3Client(S3Settings settings) : settings_(std::move(settings)) {
  while (!settings_.endpoint.empty() && settings_.endpoint.back() == '/') {
    settings_.endpoint.pop_back();
  }
}

std::string S3Client::describe() const {
  return fmt::format("bucket {} at {}", settings_.bucket, settings_.endpoint);
}

std::string S3Client::object_path(std::string_view key) const {
  return fmt::format("/{}/{}", s3_uri_encode(settings_.bucket, false), s3_uri_encode(key, true));
}

Error S3Client::answer_error(std::string_view what, const Answer& answer) const {
  const std::string code = xml_text(answer.body, "Code");
  const std::string message = xml_text(answer.body, "Message");
  std::string hint;
  if (answer.status == 403) {
    hint = "; check DOCMILL_S3_ACCESS_KEY_ID, DOCMILL_S3_SECRET_ACCESS_KEY and DOCMILL_S3_REGION";
  } else if (code == "NoSuchBucket") {
    hint = fmt::format("; create bucket {} or set DOCMILL_S3_BUCKET", settings_.bucket);
  } else if (answer.status == 301 || code == "PermanentRedirect" ||
             code == "AuthorizationHeaderMalformed") {
    hint = "; the bucket is in another region: set DOCMILL_S3_REGION (or DOCMILL_S3_ENDPOINT)";
  }
  return Error{
      answer.status == 404 && code != "NoSuchBucket" ? ErrorCode::kNotFound
      : worth_repeating(answer.status)               ? ErrorCode::kUnavailable
                                                     : ErrorCode::kIo,
      fmt::format("object store ({}): {}: HTTP {}{}{}{}", describe(), what, answer.status,
                  code.empty() ? "" : " " + code, message.empty() ? "" : ": " + message, hint)};
}

Result<S3Client::Answer> S3Client::attempt(Method method, const std::string& url,
                                           const std::filesystem::path* upload,
                                           const std::filesystem::path* download) {
  curl::Easy easy(curl_easy_init());
  if (!easy) return fail(ErrorCode::kInternal, "libcurl could not start a request");
  CURL* e = easy.get();
  // libcurl 7.88 signs every header of this list, a removed one ("Expect:") too, which S3
  // then finds missing: only headers that are sent go here. A large body therefore waits for
  // "100 Continue", which S3 answers at once.
  curl::Slist headers;

  File body_in;
  if (upload != nullptr) {
    auto hash = sha256_of_file(*upload);
    if (!hash) return std::unexpected(hash.error());
    std::error_code ec;
    const auto size = std::filesystem::file_size(*upload, ec);
    body_in.reset(std::fopen(upload->c_str(), "rb"));
    if (ec || !body_in)
      return fail(ErrorCode::kIo, fmt::format("cannot read {}", upload->string()));
    curl::append(headers, "x-amz-content-sha256: " + *hash);
    curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(e, CURLOPT_READDATA, body_in.get());
    curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(size));
    curl::append(headers, "Content-Type: application/octet-stream");
  } else {
    curl::append(headers, fmt::format("x-amz-content-sha256: {}", kEmptySha256));
  }
  switch (method) {
    case Method::kHead:
      curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
      break;
    case Method::kDelete:
      curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "DELETE");
      break;
    case Method::kGet:
    case Method::kPut:
      break;
  }

  File body_out;
  Sink sink;
  sink.easy = e;
  if (download != nullptr) {
    body_out.reset(std::fopen(download->c_str(), "wb"));
    if (!body_out) {
      return fail(ErrorCode::kIo, fmt::format("cannot write {}", download->string()));
    }
    sink.file = body_out.get();
  }

  const std::string sigv4 = fmt::format("aws:amz:{}:s3", settings_.region);
  curl_easy_setopt(e, CURLOPT_URL, url.c_str());
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_AWS_SIGV4, sigv4.c_str());
  curl_easy_setopt(e, CURLOPT_USERNAME, settings_.access_key_id.c_str());
  curl_easy_setopt(e, CURLOPT_PASSWORD, settings_.secret_access_key.c_str());
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 10'000L);
  // A stalled transfer ends; a slow large one does not (no overall time limit).
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, 60L);

  const CURLcode code = curl_easy_perform(e);
  if (code != CURLE_OK && worth_repeating(code)) {
    return fail(ErrorCode::kUnavailable,
                fmt::format("cannot reach the object store at {} (DOCMILL_S3_ENDPOINT): {}",
                            settings_.endpoint, curl_easy_strerror(code)));
  }
  if (code != CURLE_OK) {
    return fail(ErrorCode::kIo,
                fmt::format("object store ({}): {}{}", describe(), curl_easy_strerror(code),
                            code == CURLE_WRITE_ERROR && download != nullptr
                                ? fmt::format(" (writing {})", download->string())
                                : std::string()));
  }
  Answer answer;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &answer.status);
  answer.body = std::move(sink.body);
  if (body_out && std::fflush(body_out.get()) != 0) {
    return fail(ErrorCode::kIo, fmt::format("cannot write {}", download->string()));
  }
  return answer;
}

Result<S3Client::Answer> S3Client::request(Method method, const std::string& path_and_query,
                                           const std::filesystem::path* upload,
                                           const std::filesystem::path* download) {
  const std::string url = settings_.endpoint + path_and_query;
  for (int i = 0;; ++i) {
    auto answer = attempt(method, url, upload, download);
    const bool again =
        answer ? worth_repeating(answer->status) : answer.error().code == ErrorCode::kUnavailable;
    if (!again || i + 1 == kAttempts) return answer;
    std::this_thread::sleep_for(kPauses[static_cast<size_t>(i)]);
  }
}

Status S3Client::put_file(std::string_view key, const std::filesystem::path& file) {
  auto answer = request(Method::kPut, object_path(key), &file, nullptr);
  if (!answer) return std::unexpected(answer.error());
  if (answer->status != 200) {
    return std::unexpected(answer_error(fmt::format("PUT {}", key), *answer));
  }
  return {};
}

Status S3Client::get_file(std::string_view key, const std::filesystem::path& to) {
  std::error_code ec;
  std::filesystem::create_directories(to.parent_path(), ec);
  if (ec) {
    return fail(ErrorCode::kIo,
                fmt::format("cannot create {}: {}", to.parent_path().string(), ec.message()));
  }
  // Unique per thread and process: two nodes' or workers' fetches of one file do not mix.
  const auto part = std::filesystem::path(to).concat(fmt::format(
      ".{}.{}.fetch", getpid(), std::hash<std::thread::id>{}(std::this_thread::get_id())));
  auto answer = request(Method::kGet, object_path(key), nullptr, &part);
  if (answer && answer->status == 200) {
    std::filesystem::rename(part, to, ec);
    if (!ec) return {};
  }
  std::error_code ignored;
  std::filesystem::remove(part, ignored);
  if (!answer) return std::unexpected(answer.error());
  if (answer->status != 200) {
    return std::unexpected(answer_error(fmt::format("GET {}", key), *answer));
  }
  return fail(ErrorCode::kIo, fmt::format("cannot write {}: {}", to.string(), ec.message()));
}

Status S3Client::remove(std::string_view key) {
  auto answer = request(Method::kDelete, object_path(key), nullptr, nullptr);
  if (!answer) return std::unexpected(answer.error());
  if (answer->status != 204 && answer->status != 200 && answer->status != 404) {
    return std::unexpected(answer_error(fmt::format("DELETE {}", key), *answer));
  }
  return {};
}

Result<std::vector<S3Object>> S3Client::list(std::string_view prefix) {
  std::vector<S3Object> objects;
  std::string token;
  for (;;) {
    // Parameters in name order and encoded as SigV4 canonicalises them, so the query libcurl
    // signs as given is already the canonical one.
    std::string query = "?";
    if (!token.empty()) query += "continuation-token=" + s3_uri_encode(token, false) + "&";
    query += "list-type=2&prefix=" + s3_uri_encode(prefix, false);
    auto answer = request(Method::kGet, "/" + s3_uri_encode(settings_.bucket, false) + query,
                          nullptr, nullptr);
    if (!answer) return std::unexpected(answer.error());
    if (answer->status != 200) {
      return std::unexpected(answer_error(fmt::format("listing {}", prefix), *answer));
    }
    size_t at = 0;
    for (;;) {
      size_t end = 0;
      const std::string_view entry = xml_element(answer->body, "Contents", at, &end);
      if (end == 0) break;
      at = end;
      S3Object object;
      object.key = xml_text(entry, "Key");
      object.modified = parse_modified(xml_text(entry, "LastModified"));
      object.size = std::atoll(xml_text(entry, "Size").c_str());
      objects.push_back(std::move(object));
    }
    token = xml_text(answer->body, "NextContinuationToken");
    if (xml_text(answer->body, "IsTruncated") != "true" || token.empty()) break;
  }
  return objects;
}

Status S3Client::check_bucket() {
  // One try: /ready answers within a probe's patience, and a start-up fails fast.
  auto answer =
      attempt(Method::kHead, settings_.endpoint + "/" + s3_uri_encode(settings_.bucket, false),
              nullptr, nullptr);
  if (!answer) return std::unexpected(answer.error());
  if (answer->status == 404) {
    // A HEAD has no body to name the error by.
    answer->body = "<Code>NoSuchBucket</Code>";
  }
  if (answer->status != 200) {
    return std::unexpected(answer_error("checking the bucket", *answer));
  }
  return {};
}

}  // namespace docmill
