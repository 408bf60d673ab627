#pragma once
// Tesseract 5 in-process: LSTM models, one TessBaseAPI per language set, cached, owned by the
// engine and so by one thread. Parallelism comes from running one engine per core, with
// Tesseract's OpenMP capped at one thread (see cli/main.cpp).
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ocr/ocr_engine.h"

namespace tesseract {
class TessBaseAPI;
}

namespace docmill {

// Languages with a traineddata file in Tesseract's data directory ("eng", "deu", "osd", ...).
std::vector<std::string> installed_tesseract_languages();

// OK when every part of `lang` ("eng+deu") is installed; otherwise kUnsupported with a message
// that lists the installed languages and the package to install.
Status check_tesseract_languages(std::string_view lang);

// Tesseract's glyph-less TrueType font (pdf.ttf beside the traineddata files; libtesseract5
// installs it): every glyph empty, for invisible text layers.
std::filesystem::path glyphless_font_path();

class TesseractEngine final : public OcrEngine {
 public:
  TesseractEngine();
  ~TesseractEngine() override;
  TesseractEngine(const TesseractEngine&) = delete;
  TesseractEngine& operator=(const TesseractEngine&) = delete;

  // Loads the models for `lang` now (recognize() would load them on first use).
  Status preload(std::string_view lang);

  Result<int> detect_rotation(const Raster& gray, int dpi) override;
  Result<OrientationGuess> detect_orientation(const Raster& gray, int dpi) override;
  Result<OcrPage> recognize(const Raster& gray, int dpi, std::string_view lang,
                            std::stop_token stop) override;

 private:
  Result<tesseract::TessBaseAPI*> api_for(std::string_view lang);

  std::map<std::string, std::unique_ptr<tesseract::TessBaseAPI>, std::less<>> apis_;
  std::unique_ptr<tesseract::TessBaseAPI> osd_;
  bool osd_unavailable_ = false;
};

}  // namespace docmill
