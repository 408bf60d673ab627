#pragma once
// One MuPDF context per thread that touches PDFs. MuPDF contexts are not thread-safe; giving
// each worker its own (no shared locks) keeps them independent.
#include <cstddef>
#include <string>
#include <vector>

#include "core/error.h"

struct fz_context;

namespace docmill {

// MuPDF's cache of decoded images and fonts, per context. The default (256 MiB) is meant for a
// viewer going back and forth; every page here is drawn once, and each worker has a context.
inline constexpr size_t kDefaultStoreBytes = 64u << 20;

// The store of one of `contexts` contexts of which at most `drawing` draw at once (threads
// waiting on a model server): the default's worth per drawing thread, shared out, so that
// memory does not grow with the threads: the stores held decoded page images (64 requests in
// flight on 2 cores, 200 scanned pages: peak RSS 754 MiB at 8 MiB a context, 435 MiB with this).
size_t store_bytes_for(int contexts, int drawing);

class MupdfContext {
 public:
  static Result<MupdfContext> create(size_t store_bytes = kDefaultStoreBytes);
  MupdfContext(MupdfContext&& other) noexcept;
  MupdfContext& operator=(MupdfContext&& other) noexcept;
  MupdfContext(const MupdfContext&) = delete;
  MupdfContext& operator=(const MupdfContext&) = delete;
  ~MupdfContext();

  fz_context* get() const { return ctx_; }

  // Warnings MuPDF printed since the last call (damaged streams it worked around, ...).
  std::vector<std::string> take_warnings();

 private:
  // Heap-allocated so the address MuPDF's warning callback holds stays valid across moves.
  struct State {
    std::vector<std::string> warnings;
  };
  MupdfContext(fz_context* ctx, State* state) : ctx_(ctx), state_(state) {}
  static void on_warning(void* user, const char* message);

  fz_context* ctx_ = nullptr;
  State* state_ = nullptr;
};

}  // namespace docmill
