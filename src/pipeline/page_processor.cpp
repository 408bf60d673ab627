#include "pipeline/page_processor.h"

#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "layout/figure_finder.h"
#include "layout/flow_order.h"
#include "layout/layout_analyzer.h"
#include "pipeline/read_method.h"
#include "render/jpeg_writer.h"
#include "render/markdown.h"

namespace docmill {
namespace {

// Figures from the text layer are cropped from a render at this resolution at most: enough for
// a figure, much cheaper than the OCR resolution.
constexpr int kFigureDpi = 150;

Box scale_box(const Box& b, float s) {
  return {b.x0 * s, b.y0 * s, b.x1 * s, b.y1 * s};
}

// A box in the upright image (w x h: the page turned clockwise by `deg`) mapped back to the
// page as it is.
Box unrotate(const Box& b, int deg, float w, float h) {
  switch (deg) {
    case 90:
      return {b.y0, w - b.x1, b.y1, w - b.x0};
    case 180:
      return {w - b.x1, h - b.y1, w - b.x0, h - b.y0};
    case 270:
      return {h - b.y1, b.x0, h - b.y0, b.x1};
    default:
      return b;
  }
}

Status write_figures(const std::vector<Block>& blocks, const Raster& render, float px_per_pt,
                     int page_index, const std::filesystem::path& images_dir) {
  for (const auto& b : blocks) {
    if (b.label != Label::kImage) continue;
    const Box px = scale_box(b.box, px_per_pt);
    const Raster fig =
        crop(render, static_cast<int>(std::floor(px.x0)), static_cast<int>(std::floor(px.y0)),
             static_cast<int>(std::ceil(px.x1)), static_cast<int>(std::ceil(px.y1)));
    if (fig.empty()) continue;
    auto ok = write_jpeg(fig, images_dir / image_file_name(page_index, b.image_index));
    if (!ok) return ok;
  }
  return {};
}

// Puts text-layer lines into the page's reading flow; false (lines untouched, layout orders
// them by position) when there is no flow or it disagrees with the text layer.
bool put_in_reading_flow(PdfDocument& doc, int page_index, std::vector<TextLine>& lines) {
  if (lines.empty()) return false;
  auto words = doc.reading_flow(page_index);
  if (!words) return false;
  auto order = flow_order(lines, *words);
  if (!order) return false;
  std::vector<TextLine> ordered;
  ordered.reserve(order->size());
  for (size_t i : *order) ordered.push_back(std::move(lines[i]));
  lines = std::move(ordered);
  return true;
}

bool has_figures(const std::vector<Block>& blocks) {
  for (const auto& b : blocks) {
    if (b.label == Label::kImage) return true;
  }
  return false;
}

}  // namespace

Result<PageResult> PageProcessor::process(PdfDocument& doc, int page_index,
                                          const ReadOptions& options,
                                          const std::filesystem::path& images_dir,
                                          std::stop_token stop) {
  const auto started = std::chrono::steady_clock::now();
  PageResult page;
  page.page_index = page_index;
  doc.context().take_warnings();

  // Runs the steps; a failed step becomes the page's error, not the document's.
  auto run = [&]() -> Status {
    auto size = doc.page_size(page_index);
    if (!size) return std::unexpected(size.error());
    page.width = size->width;
    page.height = size->height;

    TextLayer layer;
    if (!options.force_ocr) {
      auto l = doc.text_layer(page_index);
      if (!l) return std::unexpected(l.error());
      layer = std::move(*l);
    }
    page.method = choose_read_method(layer, *size, options.force_ocr);

    if (page.method == ReadMethod::kTextLayer) {
      auto figures =
          find_figures(layer.images, layer.drawings, layer.lines, size->width, size->height);
      const bool in_order = put_in_reading_flow(doc, page_index, layer.lines);
      PageContent content{
          size->width,     size->height, std::move(layer.lines), std::move(figures), false,
          page_index == 0, in_order};
      page.blocks = analyze_layout(content);
      if (!has_figures(page.blocks)) return {};
      const int dpi = std::min(options.dpi, kFigureDpi);
      auto render = doc.render(page_index, dpi, 3);
      if (!render) return std::unexpected(render.error());
      return write_figures(page.blocks, *render, static_cast<float>(dpi) / 72.f, page_index,
                           images_dir);
    }

    auto gray = doc.render(page_index, options.dpi, 1);
    if (!gray) return std::unexpected(gray.error());
    if (stop.stop_requested()) return fail(ErrorCode::kCancelled, "stopped");
    auto rotation = ocr_.detect_rotation(*gray, options.dpi);
    if (!rotation) {
      page.warnings.push_back(rotation.error().message);
    } else if (*rotation != 0) {
      page.rotation = *rotation;
      *gray = rotate_clockwise(*gray, *rotation);
    }
    auto ocr = ocr_.recognize(*gray, options.dpi, options.lang, stop);
    if (!ocr) return std::unexpected(ocr.error());

    // Layout runs upright, in points; boxes go back to the page's own frame afterwards.
    const float pt_per_px = 72.f / static_cast<float>(options.dpi);
    const bool turned = page.rotation == 90 || page.rotation == 270;
    PageContent content{turned ? size->height : size->width,
                        turned ? size->width : size->height,
                        {},
                        {},
                        true,
                        page_index == 0,
                        true};
    for (auto& line : ocr->lines) {
      line.box = scale_box(line.box, pt_per_px);
      line.size *= pt_per_px;
      for (auto& wb : line.word_boxes) wb = scale_box(wb, pt_per_px);
      content.lines.push_back(std::move(line));
    }
    for (const auto& f : ocr->figures) content.figures.push_back(scale_box(f, pt_per_px));
    page.blocks = analyze_layout(content);
    page.mean_confidence = ocr->mean_confidence;
    if (auto ok = write_figures(page.blocks, *gray, 1.f / pt_per_px, page_index, images_dir); !ok) {
      return ok;
    }
    for (auto& b : page.blocks)
      b.box = unrotate(b.box, page.rotation, content.width, content.height);
    return {};
  };

  auto status = run();
  auto warnings = doc.context().take_warnings();
  // MuPDF draws what it can of a damaged page and warns; a page that came out empty with such
  // warnings is reported as failed rather than passed off as blank.
  if (status && page.blocks.empty() && !warnings.empty()) {
    status = fail(ErrorCode::kCorrupt, "the page is damaged: " + warnings.front());
  }
  if (!status) {
    if (status.error().code == ErrorCode::kCancelled) return std::unexpected(status.error());
    page.method = ReadMethod::kFailed;
    page.blocks.clear();
    page.error = status.error().message;
  }
  for (auto& w : warnings) page.warnings.push_back("MuPDF: " + w);
  page.millis =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return page;
}

}  // namespace docmill
