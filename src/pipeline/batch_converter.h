#pragma once
// Many documents through one pool of page workers: `docmill convert a.pdf b.pdf dir/`, and
// convert_document with one input. Every selected page of every document is one item of a work
// queue that all threads take from, in document order, so a short document does not leave
// cores idle while a long one runs. Each thread keeps its own MuPDF context and a handle on the
// document it is on (only that one: the queue never goes back to an earlier document). The
// thread that finishes a document's last page assembles it (document pass, pages.json, the
// outputs). A document that cannot be opened, or whose page fails outright, fails alone.
#include <filesystem>
#include <functional>
#include <span>
#include <stop_token>
#include <vector>

#include "core/error.h"
#include "pipeline/document_converter.h"

namespace docmill {

struct BatchDocument {
  std::filesystem::path input;
  std::filesystem::path out_dir;  // the document's own directory (output.md, images/ ...)
};

// One result per document, in the order given. The batch as a whole fails only when nothing
// can start (a Tesseract language that is not installed). `progress` is called from the workers
// (one at a time) with pages done over all documents.
Result<std::vector<Result<ConvertSummary>>> convert_batch(
    std::span<const BatchDocument> documents, const ConvertOptions& options,
    const std::function<void(const ConvertProgress&)>& progress, std::stop_token stop = {});

}  // namespace docmill
