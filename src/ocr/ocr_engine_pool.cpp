#include "ocr/ocr_engine_pool.h"

namespace docmill {

OcrEnginePool::Lease::~Lease() {
  {
    std::lock_guard lock(pool_.mu_);
    pool_.idle_.push_back(std::move(engine_));
  }
  pool_.returned_.notify_one();
}

std::optional<OcrEnginePool::Lease> OcrEnginePool::borrow(std::stop_token stop) {
  std::unique_lock lock(mu_);
  if (!returned_.wait(lock, stop, [&] { return !idle_.empty() || made_ < size_; })) {
    return std::nullopt;
  }
  if (!idle_.empty()) {
    auto engine = std::move(idle_.back());
    idle_.pop_back();
    return std::optional<Lease>(std::in_place, *this, std::move(engine));
  }
  ++made_;
  lock.unlock();
  return std::optional<Lease>(std::in_place, *this, std::make_unique<TesseractEngine>());
}

Status OcrEnginePool::preload(std::string_view lang) {
  {
    std::lock_guard lock(mu_);
    if (preloaded_) return *preloaded_;
  }
  auto lease = borrow({});
  Status loaded = (**lease).preload(lang);
  std::lock_guard lock(mu_);
  if (!preloaded_) preloaded_ = loaded;
  return *preloaded_;
}

Result<int> OcrEnginePool::detect_rotation(const Raster& gray, int dpi) {
  auto lease = borrow({});
  return (**lease).detect_rotation(gray, dpi);
}

Result<OrientationGuess> OcrEnginePool::detect_orientation(const Raster& gray, int dpi) {
  auto lease = borrow({});
  return (**lease).detect_orientation(gray, dpi);
}

Result<OcrPage> OcrEnginePool::recognize(const Raster& gray, int dpi, std::string_view lang,
                                         std::stop_token stop) {
  auto lease = borrow(stop);
  if (!lease) return fail(ErrorCode::kCancelled, "stopped");
  return (**lease).recognize(gray, dpi, lang, stop);
}

}  // namespace docmill
