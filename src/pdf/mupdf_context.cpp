#include "pdf/mupdf_context.h"

#include "core/utf8.h"

#include <mupdf/fitz.h>

#include <algorithm>
#include <utility>

namespace docmill {

size_t store_bytes_for(int contexts, int drawing) {
  if (contexts <= drawing || contexts <= 0) return kDefaultStoreBytes;
  return std::max<size_t>(1u << 20, kDefaultStoreBytes * static_cast<size_t>(std::max(drawing, 1)) /
                                        static_cast<size_t>(contexts));
}

Result<MupdfContext> MupdfContext::create(size_t store_bytes) {
  fz_context* ctx = fz_new_context(nullptr, nullptr, store_bytes);
  if (ctx == nullptr)
    return fail(ErrorCode::kInternal, "cannot create a MuPDF context (out of memory?)");
  auto* state = new State{};
  fz_set_warning_callback(ctx, &MupdfContext::on_warning, state);
  // MuPDF prints errors on stderr too; we report them ourselves, with the page they belong to.
  fz_set_error_callback(
      ctx, [](void*, const char*) {}, nullptr);
  return MupdfContext(ctx, state);
}

MupdfContext::MupdfContext(MupdfContext&& other) noexcept
    : ctx_(std::exchange(other.ctx_, nullptr)), state_(std::exchange(other.state_, nullptr)) {}

MupdfContext& MupdfContext::operator=(MupdfContext&& other) noexcept {
  if (this != &other) {
    this->~MupdfContext();
    ctx_ = std::exchange(other.ctx_, nullptr);
    state_ = std::exchange(other.state_, nullptr);
  }
  return *this;
}

MupdfContext::~MupdfContext() {
  if (ctx_ != nullptr) fz_drop_context(ctx_);
  delete state_;
}

std::vector<std::string> MupdfContext::take_warnings() {
  if (state_ == nullptr) return {};
  // MuPDF holds back a warning that repeats the one before it; flushed, the next page's own
  // warnings all come through even when the last page ended with the same one.
  fz_flush_warnings(ctx_);
  return std::exchange(state_->warnings, {});
}

void MupdfContext::on_warning(void* user, const char* message) {
  auto* state = static_cast<State*>(user);
  // A damaged page can warn thousands of times; the first few say what is wrong.
  // MuPDF quotes bytes of the file in its warnings (names, strings): made valid UTF-8 here, at
  // the source, so no caller can pass raw bytes on to JSON.
  // A page is loaded by several passes, each warning again: a page reports each warning once,
  // and MuPDF's own "... repeated N times..." count of them says nothing more.
  std::string text = valid_utf8(message);
  if (text.starts_with("... repeated ")) return;
  if (std::find(state->warnings.begin(), state->warnings.end(), text) != state->warnings.end()) {
    return;
  }
  if (state->warnings.size() < 20) state->warnings.push_back(std::move(text));
}

}  // namespace docmill
