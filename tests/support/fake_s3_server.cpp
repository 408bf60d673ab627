#include "support/fake_s3_server.h"

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <map>
#include <mutex>
#include <utility>

#include <fmt/format.h>

namespace docmill::testing {

namespace {

using Clock = std::chrono::system_clock;

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
constexpr std::string_view kXmlns = "http://s3.amazonaws.com/doc/2006-03-01/";
// Large enough for any document docmill stores; httplib holds a body in memory whole.
constexpr size_t kMaxBody = size_t{512} << 20;
constexpr int kMaxKeys = 1000;  // S3 never lists more at once, whatever max-keys asks

std::string hex(const unsigned char* data, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0x0F];
  }
  return out;
}

std::string digest_hex(const EVP_MD* md, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE] = {};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &size, md, nullptr) != 1) return {};
  return hex(digest, size);
}

std::string sha256_hex(std::string_view data) {
  return digest_hex(EVP_sha256(), data);
}

// The raw HMAC-SHA256 (32 bytes): SigV4 chains them, each the key of the next.
std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE] = {};
  unsigned int size = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac,
           &size) == nullptr) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(mac), size);
}

bool is_hex64(std::string_view text) {
  return text.size() == 64 && std::ranges::all_of(text, [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// SigV4's Trimall: no leading or trailing blanks, inner runs of blanks as one space.
std::string trim_all(std::string_view text) {
  std::string out;
  bool blank = false;
  for (char c : text) {
    if (c == ' ' || c == '\t') {
      blank = !out.empty();
      continue;
    }
    if (blank) out += ' ';
    blank = false;
    out += c;
  }
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t begin = 0;
  while (true) {
    const size_t end = text.find(separator, begin);
    parts.push_back(text.substr(begin, end - begin));
    if (end == std::string_view::npos) return parts;
    begin = end + 1;
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XX to bytes. A '+' is a space only in a query (form encoding), never in a path.
std::string percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) << 4 | hex_value(text[i + 2]));
      i += 2;
    } else if (text[i] == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += text[i];
    }
  }
  return out;
}

// What S3 answers with encoding-type=url: keys percent-encoded, '/' kept.
std::string url_encode_key(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.' || c == '~' || c == '/';
    if (plain) {
      out += c;
    } else {
      out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    }
  }
  return out;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string format_utc(Clock::time_point time, const char* format) {
  const std::time_t seconds = Clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[64] = {};
  std::strftime(text, sizeof text, format, &tm);
  return text;
}

std::string http_date(Clock::time_point time) {
  return format_utc(time, "%a, %d %b %Y %H:%M:%S GMT");
}

std::string iso_date(Clock::time_point time) {
  return format_utc(time, "%Y-%m-%dT%H:%M:%S.000Z");
}

std::string error_xml(std::string_view code, std::string_view message, std::string_view extra,
                      std::string_view request_id) {
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{}</Code><Message>{}</Message>{}"
      "<RequestId>{}</RequestId></Error>",
      code, xml_escape(message), extra, request_id);
}

// The S3 error code and message that go with an injected failure's status.
std::pair<std::string_view, std::string_view> injected_error(int status) {
  switch (status) {
    case 400:
      return {"InvalidRequest", "Injected by FakeS3Server::fail_next."};
    case 403:
      return {"AccessDenied", "Access Denied"};
    case 404:
      return {"NoSuchKey", "The specified key does not exist."};
    case 409:
      return {"OperationAborted", "A conflicting conditional operation is in progress."};
    case 500:
      return {"InternalError", "We encountered an internal error. Please try again."};
    case 501:
      return {"NotImplemented", "Injected by FakeS3Server::fail_next."};
    case 503:
      return {"SlowDown", "Please reduce your request rate."};
    default:
      return {"InjectedError", "Injected by FakeS3Server::fail_next."};
  }
}

struct Object {
  // Shared so that a GET streams it without holding the lock or copying it.
  std::shared_ptr<const std::string> bytes;
  std::string etag;  // quoted, as S3 sends it
  std::string content_type;
  Clock::time_point modified;
};

Object make_object(std::string bytes, std::string content_type) {
  Object object;
  object.etag = "\"" + digest_hex(EVP_md5(), bytes) + "\"";  // S3's ETag of a single-part PUT
  object.bytes = std::make_shared<const std::string>(std::move(bytes));
  object.content_type = std::move(content_type);
  object.modified = Clock::now();
  return object;
}

// The request target, taken apart. The signature covers the raw form, the handlers use the
// decoded one.
struct Target {
  std::string raw_path;   // as sent, no query
  std::string raw_query;  // after the '?', as sent
  std::string bucket;
  std::string key;
  std::map<std::string, std::string> params;  // decoded; the first of a repeated name wins

  std::optional<std::string> param(const std::string& name) const {
    const auto it = params.find(name);
    if (it == params.end()) return std::nullopt;
    return it->second;
  }
};

Target parse_target(std::string_view target) {
  Target out;
  const size_t question = target.find('?');
  out.raw_path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) out.raw_query = std::string(target.substr(question + 1));
  std::string_view path = out.raw_path;
  if (path.starts_with('/')) path.remove_prefix(1);
  const size_t slash = path.find('/');
  out.bucket = percent_decode(path.substr(0, slash), false);
  if (slash != std::string_view::npos) out.key = percent_decode(path.substr(slash + 1), false);
  for (const std::string_view part : split(out.raw_query, '&')) {
    if (part.empty()) continue;
    const size_t equals = part.find('=');
    const std::string name = percent_decode(part.substr(0, equals), true);
    const std::string value =
        equals == std::string_view::npos ? "" : percent_decode(part.substr(equals + 1), true);
    out.params.emplace(name, value);
  }
  return out;
}

// SigV4's URI encoding: unreserved characters as they are, every other byte as %XX (upper case).
std::string aws_encode(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    }
  }
  return out;
}

// SigV4's canonical query string: every parameter decoded and encoded again the AWS way, "name="
// when bare, sorted by name, then value. This is what S3 computes, so a client that signs the
// query as it sent it passes only when that was canonical already: sorted, '/' as %2F,
// upper-case hex.
std::string canonical_query(std::string_view raw_query) {
  std::vector<std::pair<std::string, std::string>> params;
  for (const std::string_view part : split(raw_query, '&')) {
    if (part.empty()) continue;
    const size_t equals = part.find('=');
    params.emplace_back(aws_encode(percent_decode(part.substr(0, equals), true)),
                        equals == std::string_view::npos
                            ? ""
                            : aws_encode(percent_decode(part.substr(equals + 1), true)));
  }
  std::ranges::sort(params);
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

// Why a request does not get through the signature check.
struct Refusal {
  int status = 403;
  std::string code;
  std::string message;
  std::string extra_xml;  // more elements of the <Error>, as S3 adds them
  std::string detail;     // for last_rejection(): the canonical request and string to sign
  bool counted = true;    // false: not a signature problem (an unsupported body encoding)
};

Refusal refuse(std::string code, std::string message, int status = 403) {
  Refusal refusal;
  refusal.status = status;
  refusal.code = std::move(code);
  refusal.message = std::move(message);
  return refusal;
}

}  // namespace

struct FakeS3Server::Shared {
  std::string bucket;
  Credentials credentials;

  mutable std::mutex mutex;
  std::map<std::string, Object> objects;  // byte-wise order: S3's listing order
  std::map<std::string, int, std::less<>> requests;
  int rejected = 0;
  std::string last_rejection;
  int failures_left = 0;
  int failure_status = 503;
  uint64_t next_request_id = 1;

  std::optional<Refusal> verify(const httplib::Request& req, const std::string& body,
                                const Target& target) const {
    const std::string authorization = req.get_header_value("Authorization");
    if (authorization.empty()) {
      return refuse("AccessDenied", "Access Denied: the request has no Authorization header");
    }
    if (!authorization.starts_with(std::string(kAlgorithm) + " ")) {
      return refuse("AccessDenied", "Access Denied: the Authorization is not AWS4-HMAC-SHA256");
    }
    std::string_view credential, signed_list, signature;
    for (const std::string_view part :
         split(std::string_view(authorization).substr(kAlgorithm.size() + 1), ',')) {
      const std::string_view field = trim(part);
      if (field.starts_with("Credential=")) credential = field.substr(11);
      if (field.starts_with("SignedHeaders=")) signed_list = field.substr(14);
      if (field.starts_with("Signature=")) signature = field.substr(10);
    }
    if (credential.empty() || signed_list.empty() || signature.empty()) {
      return refuse("AccessDenied",
                    "Access Denied: the Authorization lacks Credential, SignedHeaders or "
                    "Signature");
    }
    const auto scope = split(credential, '/');
    if (scope.size() != 5) {
      return refuse("AccessDenied", fmt::format("Access Denied: malformed Credential '{}'; "
                                                "expected <key>/<date>/<region>/s3/aws4_request",
                                                credential));
    }
    if (scope[0] != credentials.access_key) {
      return refuse("InvalidAccessKeyId",
                    "The AWS Access Key Id you provided does not exist in our records.");
    }
    const std::string_view date = scope[1];
    if (scope[2] != credentials.region || scope[3] != "s3" || scope[4] != "aws4_request") {
      return refuse("SignatureDoesNotMatch",
                    fmt::format("the credential scope '{}/{}/{}/{}' is wrong; expecting "
                                "'<date>/{}/s3/aws4_request'",
                                scope[1], scope[2], scope[3], scope[4], credentials.region));
    }
    const std::string amz_date = req.get_header_value("x-amz-date");
    if (amz_date.size() != 16 || !amz_date.starts_with(date) || date.size() != 8) {
      return refuse("AccessDenied",
                    fmt::format("Access Denied: X-Amz-Date '{}' is missing, malformed or not "
                                "on the Credential's date {}",
                                amz_date, date));
    }

    const auto signed_headers = split(signed_list, ';');
    if (std::ranges::find(signed_headers, "host") == signed_headers.end()) {
      return refuse("AccessDenied", "Access Denied: the Host header is not signed");
    }
    // S3 wants every x-amz-* header signed: an unsigned one could be changed on the way.
    std::string unsigned_headers;
    for (const auto& [name, value] : req.headers) {
      const std::string name_lower = lower(name);
      if (name_lower.starts_with("x-amz-") &&
          std::ranges::find(signed_headers, name_lower) == signed_headers.end()) {
        unsigned_headers += (unsigned_headers.empty() ? "" : ",") + name_lower;
      }
    }
    if (!unsigned_headers.empty()) {
      Refusal refusal =
          refuse("AccessDenied", "There were headers present in the request which were not signed");
      refusal.extra_xml =
          "<HeadersNotSigned>" + xml_escape(unsigned_headers) + "</HeadersNotSigned>";
      return refusal;
    }

    std::string payload_hash = req.get_header_value("x-amz-content-sha256");
    if (payload_hash.empty()) {
      payload_hash = sha256_hex(body);
    } else if (is_hex64(payload_hash)) {
      const std::string actual = sha256_hex(body);
      if (lower(payload_hash) != actual) {
        Refusal refusal = refuse("XAmzContentSHA256Mismatch",
                                 "The provided 'x-amz-content-sha256' header does not match what "
                                 "was computed.",
                                 400);
        refusal.extra_xml = fmt::format(
            "<ClientComputedContentSHA256>{}</ClientComputedContentSHA256>"
            "<S3ComputedContentSHA256>{}</S3ComputedContentSHA256>",
            xml_escape(payload_hash), actual);
        return refusal;
      }
    } else if (payload_hash != kUnsignedPayload) {
      // aws-chunked uploads (STREAMING-AWS4-HMAC-SHA256-PAYLOAD...) sign every chunk.
      Refusal refusal = refuse("NotImplemented",
                               fmt::format("x-amz-content-sha256 '{}' is not supported by the fake "
                                           "S3 server (only a hex SHA-256 or UNSIGNED-PAYLOAD)",
                                           payload_hash),
                               501);
      refusal.counted = false;
      return refusal;
    }

    std::string canonical_headers;
    for (const std::string_view name : signed_headers) {
      const std::string key(name);
      const size_t count = req.get_header_value_count(key);
      if (count == 0) {
        return refuse(
            "AccessDenied",
            fmt::format("Access Denied: the signed header '{}' is not in the request", name));
      }
      std::string value;
      for (size_t i = 0; i < count; ++i) {
        value += (i == 0 ? "" : ",") + trim_all(req.get_header_value(key, i));
      }
      canonical_headers += fmt::format("{}:{}\n", name, value);
    }
    const std::string canonical_request = fmt::format(
        "{}\n{}\n{}\n{}\n{}\n{}", req.method, target.raw_path, canonical_query(target.raw_query),
        canonical_headers, signed_list, payload_hash);
    const std::string scope_text = fmt::format("{}/{}/s3/aws4_request", date, credentials.region);
    const std::string string_to_sign = fmt::format("{}\n{}\n{}\n{}", kAlgorithm, amz_date,
                                                   scope_text, sha256_hex(canonical_request));
    const std::string k_date = hmac_sha256("AWS4" + credentials.secret_key, date);
    const std::string k_region = hmac_sha256(k_date, credentials.region);
    const std::string k_service = hmac_sha256(k_region, "s3");
    const std::string k_signing = hmac_sha256(k_service, "aws4_request");
    const std::string mac = hmac_sha256(k_signing, string_to_sign);
    const std::string expected =
        hex(reinterpret_cast<const unsigned char*>(mac.data()), mac.size());
    if (signature == expected) return std::nullopt;

    // S3 tells what it signed, which is what a client author needs to find the difference.
    Refusal refusal = refuse("SignatureDoesNotMatch",
                             "The request signature we calculated does not match the signature "
                             "you provided. Check your key and signing method.");
    refusal.extra_xml = fmt::format(
        "<AWSAccessKeyId>{}</AWSAccessKeyId><StringToSign>{}</StringToSign>"
        "<SignatureProvided>{}</SignatureProvided><CanonicalRequest>{}</CanonicalRequest>",
        xml_escape(credentials.access_key), xml_escape(string_to_sign), xml_escape(signature),
        xml_escape(canonical_request));
    refusal.detail = fmt::format(
        "\nsignature provided: {}\nsignature expected: {}\ncanonical request:\n{}\n"
        "string to sign:\n{}",
        signature, expected, canonical_request, string_to_sign);
    return refusal;
  }

  // S3's XML error, without the body on a HEAD (S3 sends none; httplib would still announce
  // the body's length).
  static void send_error(const httplib::Request& req, httplib::Response& res, int status,
                         std::string_view code, std::string_view message,
                         const std::string& request_id, std::string_view extra = {}) {
    res.status = status;
    if (req.method == "HEAD") {
      res.set_header("Content-Type", "application/xml");
      return;
    }
    res.set_content(error_xml(code, message, extra, request_id), "application/xml");
  }

  // `body`: req.body, or what a content reader read (PUT and POST).
  void handle(const httplib::Request& req, const std::string& body, httplib::Response& res) {
    std::string request_id;
    {
      std::lock_guard lock(mutex);
      ++requests[req.method];
      request_id = fmt::format("FAKES3{:010X}", next_request_id++);
    }
    res.set_header("x-amz-request-id", request_id);
    const Target target = parse_target(req.target);
    if (!req.target.starts_with('/')) {
      send_error(req, res, 400, "InvalidURI", "Couldn't parse the specified URI.", request_id);
      return;
    }
    if (auto refusal = verify(req, body, target)) {
      if (refusal->counted) {
        std::lock_guard lock(mutex);
        ++rejected;
        last_rejection = fmt::format("{} {}: {} {}: {}{}", req.method, req.target, refusal->status,
                                     refusal->code, refusal->message, refusal->detail);
      }
      send_error(req, res, refusal->status, refusal->code, refusal->message, request_id,
                 refusal->extra_xml);
      return;
    }
    if (target.bucket.empty()) {
      if (req.method == "GET") return list_buckets(res);
      send_error(req, res, 501, "NotImplemented", "Only ListBuckets is served on /.", request_id);
      return;
    }
    if (target.bucket != bucket) {
      send_error(req, res, 404, "NoSuchBucket", "The specified bucket does not exist.", request_id,
                 "<BucketName>" + xml_escape(target.bucket) + "</BucketName>");
      return;
    }
    if (target.key.empty()) return bucket_request(req, res, target, request_id);
    object_request(req, body, res, target, request_id);
  }

  void list_buckets(httplib::Response& res) {
    res.set_content(fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                "<ListAllMyBucketsResult xmlns=\"{}\"><Owner><ID>fake</ID>"
                                "<DisplayName>fake</DisplayName></Owner><Buckets><Bucket>"
                                "<Name>{}</Name><CreationDate>2024-01-01T00:00:00.000Z"
                                "</CreationDate></Bucket></Buckets></ListAllMyBucketsResult>",
                                kXmlns, xml_escape(bucket)),
                    "application/xml");
  }

  void bucket_request(const httplib::Request& req, httplib::Response& res, const Target& target,
                      const std::string& request_id) {
    if (req.method == "HEAD") {
      res.status = 200;
      res.set_header("x-amz-bucket-region", credentials.region);
      return;
    }
    if (req.method == "GET" && target.param("location")) {
      // us-east-1 is the one region S3 answers with an empty LocationConstraint.
      const std::string region = credentials.region == "us-east-1" ? "" : credentials.region;
      res.set_content(fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                  "<LocationConstraint xmlns=\"{}\">{}</LocationConstraint>",
                                  kXmlns, xml_escape(region)),
                      "application/xml");
      return;
    }
    if (req.method == "GET" && target.param("list-type") == "2") {
      list_objects(req, res, target, request_id);
      return;
    }
    send_error(req, res, 501, "NotImplemented",
               fmt::format("{} on the bucket is not supported by the fake S3 server (only HEAD, "
                           "GET ?location and GET ?list-type=2)",
                           req.method),
               request_id);
  }

  void list_objects(const httplib::Request& req, httplib::Response& res, const Target& target,
                    const std::string& request_id) {
    int max_keys = kMaxKeys;
    if (const auto text = target.param("max-keys")) {
      const auto [end, error] =
          std::from_chars(text->data(), text->data() + text->size(), max_keys);
      if (error != std::errc() || end != text->data() + text->size() || max_keys < 0) {
        send_error(req, res, 400, "InvalidArgument",
                   "Provided max-keys not an integer or within integer range", request_id);
        return;
      }
      max_keys = std::min(max_keys, kMaxKeys);
    }
    const std::string prefix = target.param("prefix").value_or("");
    const auto token = target.param("continuation-token");
    const auto start_after = target.param("start-after");
    const bool url_encoded = target.param("encoding-type") == "url";
    const auto encode = [&](std::string_view key) {
      return xml_escape(url_encoded ? url_encode_key(key) : std::string(key));
    };

    std::string contents;
    int count = 0;
    bool truncated = false;
    std::string last_key;
    {
      std::lock_guard lock(mutex);
      // The continuation token is the last key of the page before: the next page starts after it.
      auto it = objects.lower_bound(prefix);
      if (const auto& after = token ? token : start_after; after && *after >= prefix) {
        it = objects.upper_bound(*after);
      }
      for (; it != objects.end() && it->first.starts_with(prefix); ++it) {
        if (count == max_keys) {
          truncated = max_keys > 0;  // S3's answer to max-keys=0: nothing, and no next page
          break;
        }
        const Object& object = it->second;
        contents += fmt::format(
            "<Contents><Key>{}</Key><LastModified>{}</LastModified><ETag>{}</ETag>"
            "<Size>{}</Size><StorageClass>STANDARD</StorageClass></Contents>",
            encode(it->first), iso_date(object.modified), xml_escape(object.etag),
            object.bytes->size());
        last_key = it->first;
        ++count;
      }
    }
    std::string body = fmt::format(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"{}\"><Name>{}</Name>"
        "<Prefix>{}</Prefix>",
        kXmlns, xml_escape(bucket), encode(prefix));
    if (token) body += "<ContinuationToken>" + xml_escape(*token) + "</ContinuationToken>";
    if (start_after) body += "<StartAfter>" + encode(*start_after) + "</StartAfter>";
    body += fmt::format("<KeyCount>{}</KeyCount><MaxKeys>{}</MaxKeys>", count, max_keys);
    if (url_encoded) body += "<EncodingType>url</EncodingType>";
    body += fmt::format("<IsTruncated>{}</IsTruncated>", truncated);
    if (truncated) {
      body += "<NextContinuationToken>" + xml_escape(last_key) + "</NextContinuationToken>";
    }
    body += contents + "</ListBucketResult>";
    res.set_content(body, "application/xml");
  }

  void object_request(const httplib::Request& req, const std::string& body, httplib::Response& res,
                      const Target& target, const std::string& request_id) {
    // Sub-resources and operations the fake does not have: better refused than taken for a
    // plain PUT or GET of the object.
    for (const char* name : {"uploads", "uploadId", "partNumber", "tagging", "acl", "retention",
                             "legal-hold", "attributes", "torrent", "restore", "select"}) {
      if (target.param(name)) {
        send_error(req, res, 501, "NotImplemented",
                   fmt::format("?{} is not supported by the fake S3 server", name), request_id);
        return;
      }
    }
    if (req.has_header("x-amz-copy-source")) {
      send_error(req, res, 501, "NotImplemented",
                 "CopyObject is not supported by the fake S3 server", request_id);
      return;
    }
    if (req.method != "PUT" && req.method != "GET" && req.method != "HEAD" &&
        req.method != "DELETE") {
      send_error(req, res, 501, "NotImplemented",
                 fmt::format("{} on an object is not supported by the fake S3 server", req.method),
                 request_id);
      return;
    }
    const std::string key_xml = "<Key>" + xml_escape(target.key) + "</Key>";
    std::unique_lock lock(mutex);
    if (failures_left > 0) {
      --failures_left;
      const int status = failure_status;
      lock.unlock();
      const auto [code, message] = injected_error(status);
      send_error(req, res, status, code, message, request_id);
      return;
    }
    if (req.method == "PUT") {
      std::string type = req.get_header_value("Content-Type");
      if (type.empty()) type = "binary/octet-stream";  // what S3 records without one
      Object object = make_object(body, std::move(type));
      res.set_header("ETag", object.etag);
      objects.insert_or_assign(target.key, std::move(object));
      res.status = 200;
      return;
    }
    if (req.method == "DELETE") {
      objects.erase(target.key);
      res.status = 204;
      return;
    }
    const auto it = objects.find(target.key);
    if (it == objects.end()) {
      lock.unlock();
      send_error(req, res, 404, "NoSuchKey", "The specified key does not exist.", request_id,
                 key_xml);
      return;
    }
    const Object object = it->second;
    lock.unlock();
    // The status is left to httplib: 200, or 206 (416) for a (bad) Range, as S3 answers.
    res.set_header("ETag", object.etag);
    res.set_header("Last-Modified", http_date(object.modified));
    res.set_header("Accept-Ranges", "bytes");
    if (object.bytes->empty()) {
      res.set_content("", object.content_type);
      return;
    }
    // A provider with a length: httplib sends Content-Length (also for HEAD, without the
    // body), does not compress, and serves a Range as S3 would.
    res.set_content_provider(
        object.bytes->size(), object.content_type,
        [bytes = object.bytes](size_t offset, size_t length, httplib::DataSink& sink) {
          if (offset > bytes->size()) return false;
          return sink.write(bytes->data() + offset, std::min(length, bytes->size() - offset));
        });
  }
};

FakeS3Server::FakeS3Server(std::string bucket, Credentials credentials)
    : shared_(std::make_shared<Shared>()),
      bucket_(std::move(bucket)),
      credentials_(std::move(credentials)) {
  shared_->bucket = bucket_;
  shared_->credentials = credentials_;
}

FakeS3Server::~FakeS3Server() {
  stop();
}

bool FakeS3Server::start() {
  if (server_) return true;
  auto server = std::make_unique<httplib::Server>();
  server->new_task_queue = [] { return new httplib::ThreadPool(16); };
  // Idle keep-alive connections hold a worker thread; a short wait lets stop() return soon.
  server->set_keep_alive_timeout(1);
  server->set_payload_max_length(kMaxBody);
  Shared* shared = shared_.get();  // the server (and its handlers) never outlive shared_
  const auto handler = [shared](const httplib::Request& req, httplib::Response& res) {
    shared->handle(req, req.body, res);
  };
  // A body read by httplib itself is cut at 8 KiB, answered 413, when its Content-Type is
  // application/x-www-form-urlencoded (libcurl's default for CURLOPT_POSTFIELDS); read through
  // a content reader it is taken whole, whatever its type.
  const auto reading_handler = [shared](const httplib::Request& req, httplib::Response& res,
                                        const httplib::ContentReader& reader) {
    std::string body;
    const bool read = reader([&body](const char* data, size_t size) {
      body.append(data, size);
      return true;
    });
    if (!read) return;  // httplib has set the status: 413 past kMaxBody, 400 for a broken body
    shared->handle(req, body, res);
  };
  // Every path (a key may hold a decoded newline, which '.' would not match); HEAD comes to
  // the GET handler.
  const std::string any = R"([\s\S]*)";
  server->Get(any, handler);
  server->Put(any, reading_handler);
  server->Delete(any, handler);
  server->Post(any, reading_handler);
  server->Patch(any, handler);
  server->Options(any, handler);
  if (port_ == 0) {
    port_ = server->bind_to_any_port("127.0.0.1");
    if (port_ <= 0) {
      port_ = 0;
      return false;
    }
  } else if (!server->bind_to_port("127.0.0.1", port_)) {
    return false;
  }
  server_ = std::move(server);
  listener_ = std::jthread([server = server_.get()] { server->listen_after_bind(); });
  // httplib's stop() only reaches a server that is already running.
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return true;
}

void FakeS3Server::stop() {
  if (!server_) return;
  server_->stop();
  if (listener_.joinable()) listener_.join();
  server_.reset();
}

bool FakeS3Server::running() const {
  return server_ && server_->is_running();
}

std::string FakeS3Server::endpoint() const {
  return fmt::format("http://127.0.0.1:{}", port_);
}

std::vector<std::string> FakeS3Server::keys() const {
  std::lock_guard lock(shared_->mutex);
  std::vector<std::string> out;
  out.reserve(shared_->objects.size());
  for (const auto& [key, object] : shared_->objects) out.push_back(key);
  return out;
}

std::optional<std::string> FakeS3Server::object(const std::string& key) const {
  std::lock_guard lock(shared_->mutex);
  const auto it = shared_->objects.find(key);
  if (it == shared_->objects.end()) return std::nullopt;
  return *it->second.bytes;
}

void FakeS3Server::put_object(const std::string& key, std::string bytes) {
  Object object = make_object(std::move(bytes), "binary/octet-stream");
  std::lock_guard lock(shared_->mutex);
  shared_->objects.insert_or_assign(key, std::move(object));
}

void FakeS3Server::age_objects(std::chrono::seconds by) {
  std::lock_guard lock(shared_->mutex);
  for (auto& [key, object] : shared_->objects) object.modified -= by;
}

int FakeS3Server::requests(std::string_view method) const {
  std::lock_guard lock(shared_->mutex);
  const auto it = shared_->requests.find(method);
  return it == shared_->requests.end() ? 0 : it->second;
}

int FakeS3Server::rejected() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->rejected;
}

std::string FakeS3Server::last_rejection() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->last_rejection;
}

void FakeS3Server::fail_next(int n, int status) {
  std::lock_guard lock(shared_->mutex);
  shared_->failures_left = std::max(n, 0);
  shared_->failure_status = status;
}

}  // namespace docmill::testing
