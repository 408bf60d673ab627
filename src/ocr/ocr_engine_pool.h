#pragma once
// Tesseract engines shared by more threads than there are engines: each call borrows one. A
// worker process on the VLM engine runs many threads (most of them waiting on the model
// server); a page that falls back to Tesseract, or a job that asked for it, borrows an engine
// for its OCR instead of every thread loading its own models (tens of MB each).
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ocr/ocr_engine.h"
#include "ocr/tesseract_engine.h"

namespace docmill {

class OcrEnginePool final : public OcrEngine {
 public:
  // At most `size` engines, made when first needed.
  explicit OcrEnginePool(int size) : size_(size) {}

  // Loads `lang`'s models into one engine now (once; later calls give the first result).
  Status preload(std::string_view lang);

  Result<int> detect_rotation(const Raster& gray, int dpi) override;
  Result<OrientationGuess> detect_orientation(const Raster& gray, int dpi) override;
  Result<OcrPage> recognize(const Raster& gray, int dpi, std::string_view lang,
                            std::stop_token stop) override;

 private:
  // An engine of the pool, held by one call; returned on destruction.
  class Lease {
   public:
    Lease(OcrEnginePool& pool, std::unique_ptr<TesseractEngine> engine)
        : pool_(pool), engine_(std::move(engine)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    TesseractEngine& operator*() { return *engine_; }

   private:
    OcrEnginePool& pool_;
    std::unique_ptr<TesseractEngine> engine_;
  };
  std::optional<Lease> borrow(std::stop_token stop);

  const int size_;
  std::mutex mu_;
  std::condition_variable_any returned_;
  std::vector<std::unique_ptr<TesseractEngine>> idle_;  // guarded by mu_
  int made_ = 0;                                        // guarded by mu_
  std::optional<Status> preloaded_;                     // guarded by mu_
};

}  // namespace docmill
