#pragma once
// One MuPDF context per thread that touches PDFs. MuPDF contexts are not thread-safe; giving
// each worker its own (no shared locks) keeps them independent.
#include <string>
#include <vector>

#include "core/error.h"

struct fz_context;

namespace docmill {

class MupdfContext {
 public:
  static Result<MupdfContext> create();
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
