#pragma once
// A zip archive (PKWARE APPNOTE 6.3) written front to back, never seeking back, so it can go
// straight out to a client as it is made, in bounded memory whatever the size of the files:
// each entry's CRC and sizes follow its data in a data descriptor (flag bit 3), and the central
// directory comes last. Entries are stored or deflated (zlib, raw deflate). ZIP64 fields are
// written only where a size or offset needs them (from 4 GiB), so ordinary archives open
// everywhere.
#include <cstdint>
#include <ctime>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace docmill {

enum class ZipMethod {
  kStored,    // JPEG, PDF: compressed already
  kDeflated,  // text
};

class ZipWriter {
 public:
  // Takes the archive's bytes in order, never empty; false (the reader went away) fails the
  // writer.
  using Output = std::function<bool(std::string_view bytes)>;
  // `zip64_from`: sizes and offsets from this value up use ZIP64 fields. Only tests lower it,
  // to check those fields without writing 4 GiB.
  explicit ZipWriter(Output output, std::uint64_t zip64_from = 0xFFFF'FFFF);
  ~ZipWriter();
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  // Starts an entry named `name` (a relative path with '/'). `expected_size`: its size as known
  // before it is written, which decides whether its local header carries ZIP64 sizes.
  Status begin(std::string_view name, ZipMethod method, std::uint64_t expected_size,
               std::time_t modified);
  Status write(std::string_view data);
  // Ends the entry: the rest of its compressed data, then its data descriptor.
  Status end();
  // The central directory and its end record; the archive is complete.
  Status finish();

  std::uint64_t bytes_written() const { return offset_; }

 private:
  struct Entry {
    std::string name;
    ZipMethod method = ZipMethod::kStored;
    std::uint16_t dos_time = 0;
    std::uint16_t dos_date = 0;
    std::uint32_t crc = 0;
    std::uint64_t size = 0;
    std::uint64_t compressed = 0;
    std::uint64_t offset = 0;  // of its local header
    bool zip64 = false;        // its local header and data descriptor have ZIP64 sizes
  };
  struct Deflater;

  Status emit(std::string_view bytes);
  Status deflate_step(std::string_view data, bool finish);
  void central_header(const Entry& e, std::string& out) const;

  Output output_;
  std::uint64_t zip64_from_;
  std::uint64_t offset_ = 0;
  std::vector<Entry> entries_;
  bool in_entry_ = false;
  bool failed_ = false;
  bool finished_ = false;
  std::unique_ptr<Deflater> deflater_;
};

}  // namespace docmill
