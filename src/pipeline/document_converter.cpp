#include "pipeline/document_converter.h"

#include "pipeline/batch_converter.h"

namespace docmill {

// A batch of one: the single-file and many-file conversions share one code path.
Result<ConvertSummary> convert_document(const std::filesystem::path& input,
                                        const std::filesystem::path& out_dir,
                                        const ConvertOptions& options,
                                        const std::function<void(const ConvertProgress&)>& progress,
                                        std::stop_token stop) {
  const BatchDocument document{input, out_dir};
  auto outcomes = convert_batch({&document, 1}, options, progress, stop);
  if (!outcomes) return std::unexpected(outcomes.error());
  return std::move(outcomes->front());
}

}  // namespace docmill
