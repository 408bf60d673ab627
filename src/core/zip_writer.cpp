#include "core/zip_writer.h"

#include <zlib.h>

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

namespace docmill {
namespace {

constexpr std::uint32_t kLocalHeaderSig = 0x04034b50;
constexpr std::uint32_t kDescriptorSig = 0x08074b50;
constexpr std::uint32_t kCentralHeaderSig = 0x02014b50;
constexpr std::uint32_t kZip64EndSig = 0x06064b50;
constexpr std::uint32_t kZip64LocatorSig = 0x07064b50;
constexpr std::uint32_t kEndSig = 0x06054b50;
constexpr std::uint16_t kFlagDataDescriptor = 0x0008;
constexpr std::uint16_t kVersion20 = 20;  // deflate, data descriptors
constexpr std::uint16_t kVersion45 = 45;  // ZIP64
constexpr std::uint16_t kMadeByUnix = 3 << 8;
constexpr std::uint16_t kZip64ExtraId = 0x0001;
constexpr std::uint32_t kMax32 = 0xFFFF'FFFF;
constexpr std::uint16_t kMax16 = 0xFFFF;
constexpr std::uint32_t kRegularFile0644 = 0100644u << 16;  // external attributes, Unix mode
// zlib counts in uInt: larger pieces are fed in parts.
constexpr size_t kZlibPiece = 1u << 30;
constexpr size_t kDeflateOut = 64 * 1024;

void put16(std::string& s, std::uint16_t v) {
  s.push_back(static_cast<char>(v & 0xFF));
  s.push_back(static_cast<char>(v >> 8));
}
void put32(std::string& s, std::uint32_t v) {
  put16(s, static_cast<std::uint16_t>(v & 0xFFFF));
  put16(s, static_cast<std::uint16_t>(v >> 16));
}
void put64(std::string& s, std::uint64_t v) {
  put32(s, static_cast<std::uint32_t>(v & kMax32));
  put32(s, static_cast<std::uint32_t>(v >> 32));
}

// MS-DOS time and date, in local time as zip tools show them; 1980 is the earliest.
std::pair<std::uint16_t, std::uint16_t> dos_time_date(std::time_t t) {
  std::tm tm{};
  if (localtime_r(&t, &tm) == nullptr || tm.tm_year < 80) return {0, (1 << 5) | 1};
  const auto time =
      static_cast<std::uint16_t>((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
  const auto date =
      static_cast<std::uint16_t>(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
  return {time, date};
}

// The most an entry of `size` bytes takes in the archive: deflate can grow incompressible data
// a little (its stored blocks), never by an eighth.
std::uint64_t largest_compressed(ZipMethod method, std::uint64_t size) {
  return method == ZipMethod::kStored ? size : size + size / 8 + 64;
}

}  // namespace

struct ZipWriter::Deflater {
  z_stream z{};
  bool open = false;
  ~Deflater() {
    if (open) deflateEnd(&z);
  }
};

ZipWriter::ZipWriter(Output output, std::uint64_t zip64_from)
    : output_(std::move(output)), zip64_from_(std::min<std::uint64_t>(zip64_from, kMax32)) {}

ZipWriter::~ZipWriter() = default;

Status ZipWriter::emit(std::string_view bytes) {
  if (bytes.empty()) return {};
  if (!output_(bytes)) {
    failed_ = true;
    return fail(ErrorCode::kIo, "the zip archive's reader stopped reading");
  }
  offset_ += bytes.size();
  return {};
}

Status ZipWriter::begin(std::string_view name, ZipMethod method, std::uint64_t expected_size,
                        std::time_t modified) {
  if (failed_ || finished_ || in_entry_) {
    return fail(ErrorCode::kInternal, "zip: an entry was begun out of turn");
  }
  if (name.empty() || name.size() > kMax16) {
    return fail(ErrorCode::kInvalidArgument, fmt::format("zip: bad entry name '{}'", name));
  }
  Entry e;
  e.name = std::string(name);
  e.method = method;
  std::tie(e.dos_time, e.dos_date) = dos_time_date(modified);
  e.offset = offset_;
  e.zip64 = largest_compressed(method, expected_size) >= zip64_from_;
  if (method == ZipMethod::kDeflated) {
    deflater_ = std::make_unique<Deflater>();
    // Raw deflate (negative window bits): zip has its own header and CRC.
    if (deflateInit2(&deflater_->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK) {
      deflater_.reset();
      failed_ = true;
      return fail(ErrorCode::kInternal, "zip: zlib could not start deflating");
    }
    deflater_->open = true;
  }
  std::string h;
  put32(h, kLocalHeaderSig);
  put16(h, e.zip64 ? kVersion45 : kVersion20);
  put16(h, kFlagDataDescriptor);
  put16(h, method == ZipMethod::kDeflated ? 8 : 0);
  put16(h, e.dos_time);
  put16(h, e.dos_date);
  put32(h, 0);  // CRC and sizes: in the data descriptor
  put32(h, e.zip64 ? kMax32 : 0);
  put32(h, e.zip64 ? kMax32 : 0);
  put16(h, static_cast<std::uint16_t>(e.name.size()));
  put16(h, e.zip64 ? 20 : 0);
  h += e.name;
  if (e.zip64) {
    put16(h, kZip64ExtraId);
    put16(h, 16);
    put64(h, 0);
    put64(h, 0);
  }
  entries_.push_back(std::move(e));
  in_entry_ = true;
  return emit(h);
}

Status ZipWriter::deflate_step(std::string_view data, bool finish) {
  z_stream& z = deflater_->z;
  std::string out(kDeflateOut, '\0');
  Entry& e = entries_.back();
  do {
    const size_t piece = std::min(data.size(), kZlibPiece);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(piece);
    const bool last_piece = piece == data.size();
    int rc = Z_OK;
    do {
      z.next_out = reinterpret_cast<Bytef*>(out.data());
      z.avail_out = static_cast<uInt>(out.size());
      rc = deflate(&z, finish && last_piece ? Z_FINISH : Z_NO_FLUSH);
      if (rc == Z_STREAM_ERROR) {
        failed_ = true;
        return fail(ErrorCode::kInternal, "zip: zlib failed while deflating");
      }
      const size_t produced = out.size() - z.avail_out;
      e.compressed += produced;
      if (auto ok = emit(std::string_view(out.data(), produced)); !ok) return ok;
      // Until zlib has taken all the input and has no more output pending (or, finishing,
      // until the stream's end is written).
    } while (finish && last_piece ? rc != Z_STREAM_END : z.avail_out == 0);
    data.remove_prefix(piece);
  } while (!data.empty());
  return {};
}

Status ZipWriter::write(std::string_view data) {
  if (failed_ || !in_entry_) return fail(ErrorCode::kInternal, "zip: data outside an entry");
  Entry& e = entries_.back();
  for (std::string_view rest = data; !rest.empty();) {
    const size_t piece = std::min(rest.size(), kZlibPiece);
    e.crc = static_cast<std::uint32_t>(
        crc32(e.crc, reinterpret_cast<const Bytef*>(rest.data()), static_cast<uInt>(piece)));
    rest.remove_prefix(piece);
  }
  e.size += data.size();
  if (e.method == ZipMethod::kDeflated) return data.empty() ? Status{} : deflate_step(data, false);
  e.compressed += data.size();
  return emit(data);
}

Status ZipWriter::end() {
  if (failed_ || !in_entry_) return fail(ErrorCode::kInternal, "zip: no entry to end");
  if (entries_.back().method == ZipMethod::kDeflated) {
    if (auto ok = deflate_step({}, true); !ok) return ok;
    deflater_.reset();
  }
  in_entry_ = false;
  const Entry& e = entries_.back();
  if (!e.zip64 && (e.size >= kMax32 || e.compressed >= kMax32)) {
    failed_ = true;
    return fail(
        ErrorCode::kInternal,
        fmt::format("zip: {} grew past 4 GiB after it was begun as a smaller file", e.name));
  }
  std::string d;
  put32(d, kDescriptorSig);
  put32(d, e.crc);
  if (e.zip64) {
    put64(d, e.compressed);
    put64(d, e.size);
  } else {
    put32(d, static_cast<std::uint32_t>(e.compressed));
    put32(d, static_cast<std::uint32_t>(e.size));
  }
  return emit(d);
}

void ZipWriter::central_header(const Entry& e, std::string& out) const {
  // ZIP64 extra: only the values that do not fit, in this order.
  std::string extra;
  const auto field = [&](std::uint64_t v) -> std::uint32_t {
    if (v < zip64_from_) return static_cast<std::uint32_t>(v);
    put64(extra, v);
    return kMax32;
  };
  const std::uint32_t size = field(e.size);
  const std::uint32_t compressed = field(e.compressed);
  const std::uint32_t offset = field(e.offset);
  const bool zip64 = !extra.empty() || e.zip64;
  put32(out, kCentralHeaderSig);
  put16(out, kMadeByUnix | (zip64 ? kVersion45 : kVersion20));
  put16(out, zip64 ? kVersion45 : kVersion20);
  put16(out, kFlagDataDescriptor);
  put16(out, e.method == ZipMethod::kDeflated ? 8 : 0);
  put16(out, e.dos_time);
  put16(out, e.dos_date);
  put32(out, e.crc);
  put32(out, compressed);
  put32(out, size);
  put16(out, static_cast<std::uint16_t>(e.name.size()));
  put16(out, static_cast<std::uint16_t>(extra.empty() ? 0 : extra.size() + 4));
  put16(out, 0);  // comment
  put16(out, 0);  // disk
  put16(out, 0);  // internal attributes
  put32(out, kRegularFile0644);
  put32(out, offset);
  out += e.name;
  if (!extra.empty()) {
    put16(out, kZip64ExtraId);
    put16(out, static_cast<std::uint16_t>(extra.size()));
    out += extra;
  }
}

Status ZipWriter::finish() {
  if (failed_ || finished_ || in_entry_) {
    return fail(ErrorCode::kInternal, "zip: finished out of turn");
  }
  finished_ = true;
  const std::uint64_t directory_offset = offset_;
  std::string dir;
  for (const auto& e : entries_) central_header(e, dir);
  const std::uint64_t directory_size = dir.size();
  const std::uint64_t count = entries_.size();
  const bool zip64 =
      count >= kMax16 || directory_size >= zip64_from_ || directory_offset >= zip64_from_;
  if (zip64) {
    const std::uint64_t zip64_end_offset = directory_offset + directory_size;
    put32(dir, kZip64EndSig);
    put64(dir, 44);  // the size of the rest of this record
    put16(dir, kMadeByUnix | kVersion45);
    put16(dir, kVersion45);
    put32(dir, 0);  // this disk
    put32(dir, 0);  // the directory's disk
    put64(dir, count);
    put64(dir, count);
    put64(dir, directory_size);
    put64(dir, directory_offset);
    put32(dir, kZip64LocatorSig);
    put32(dir, 0);
    put64(dir, zip64_end_offset);
    put32(dir, 1);  // disks
  }
  put32(dir, kEndSig);
  put16(dir, 0);
  put16(dir, 0);
  const auto count16 = static_cast<std::uint16_t>(zip64 ? kMax16 : count);
  put16(dir, count16);
  put16(dir, count16);
  put32(dir, zip64 ? kMax32 : static_cast<std::uint32_t>(directory_size));
  put32(dir, zip64 ? kMax32 : static_cast<std::uint32_t>(directory_offset));
  put16(dir, 0);  // comment
  return emit(dir);
}

}  // namespace docmill
