#include "pipeline/page_processor.h"

#include <chrono>
#include <cmath>
#include <new>

#include <fmt/format.h>

#include "core/utf8.h"
#include "layout/figure_finder.h"
#include "layout/flow_order.h"
#include "layout/layout_analyzer.h"
#include "pipeline/blank_page.h"
#include "pipeline/page_deadline.h"
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

std::string seconds(std::chrono::milliseconds d) {
  return fmt::format("{:g} s", static_cast<double>(d.count()) / 1000.0);
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
  // Everything below runs under `page_stop`: it fires on `stop` or when the time is up.
  PageDeadline deadline(stop, limits_.timeout);
  const std::stop_token page_stop = deadline.token();
  const long long max_pixels = limits_.max_render_pixels;

  // The resolution to render at for `dpi` within the pixel budget; a warning when lowered.
  auto budget_dpi = [&](PageSize size, int dpi) -> Result<double> {
    const double d = dpi_within_budget(size, dpi, max_pixels);
    if (d <= 0) {
      return fail(ErrorCode::kTooLarge,
                  fmt::format("page {} ({:.0f} x {:.0f} pt) cannot be rendered within the render "
                              "budget of {} pixels",
                              page_index + 1, size.width, size.height, max_pixels));
    }
    if (d < dpi) {
      page.warnings.push_back(fmt::format(
          "rendered at {:g} dpi instead of {}: the page ({:.0f} x {:.0f} pt) is over the render "
          "budget of {} pixels",
          d, dpi, size.width, size.height, max_pixels));
    }
    return d;
  };

  // Runs the steps; a failed step becomes the page's error, not the document's.
  auto run = [&]() -> Status {
    auto size = doc.page_size(page_index);
    if (!size) return std::unexpected(size.error());
    page.width = size->width;
    page.height = size->height;
    // Decoded once under the page's stop token: a decompression bomb in the content stream
    // runs into the time limit here, where MuPDF's interpreter would not notice it.
    if (auto ok = doc.read_contents(page_index, page_stop); !ok) return ok;

    TextLayer layer;
    if (!options.force_ocr) {
      auto l = doc.text_layer(page_index, page_stop);
      if (!l) return std::unexpected(l.error());
      layer = std::move(*l);
      for (auto& w : layer.warnings) page.warnings.push_back(std::move(w));
    }
    page.method = choose_read_method(layer, *size, options.force_ocr);

    if (page.method == ReadMethod::kTextLayer) {
      auto figures =
          find_figures(layer.images, layer.drawings, layer.lines, size->width, size->height);
      // Poppler cannot be stopped once asked: not asked when the time is already up.
      const bool in_order =
          !page_stop.stop_requested() && put_in_reading_flow(doc, page_index, layer.lines);
      PageContent content{
          size->width,     size->height, std::move(layer.lines), std::move(figures), false,
          page_index == 0, in_order};
      page.blocks = analyze_layout(content);
      if (!has_figures(page.blocks)) return {};
      auto dpi = budget_dpi(*size, std::min(options.dpi, kFigureDpi));
      if (!dpi) return std::unexpected(dpi.error());
      auto render = doc.render(page_index, *dpi, 3, max_pixels, page_stop);
      if (!render) return std::unexpected(render.error());
      return write_figures(page.blocks, *render, static_cast<float>(*dpi) / 72.f, page_index,
                           images_dir);
    }

    // No text at all: a blank page is told apart cheaply, before a render at OCR resolution.
    if (layer.chars == 0) {
      auto content = doc.has_content(page_index);
      if (!content) return std::unexpected(content.error());
      bool blank = !*content;
      if (!blank) {
        const double check_dpi = dpi_within_budget(*size, kBlankCheckDpi, max_pixels);
        if (check_dpi > 0) {
          auto small = doc.render(page_index, check_dpi, 1, max_pixels, page_stop);
          if (!small) return std::unexpected(small.error());
          blank = !has_ink(*small);
        }
      }
      if (blank) {
        page.method = ReadMethod::kBlank;
        return {};
      }
    }

    auto dpi = budget_dpi(*size, options.dpi);
    if (!dpi) return std::unexpected(dpi.error());
    auto gray = doc.render(page_index, *dpi, 1, max_pixels, page_stop);
    if (!gray) return std::unexpected(gray.error());
    if (page_stop.stop_requested()) return fail(ErrorCode::kCancelled, "stopped");
    // Tesseract takes whole dpi; below 1 (a page of hundreds of metres) it is told 1.
    const int ocr_dpi = std::max(1, static_cast<int>(std::lround(*dpi)));
    auto rotation = ocr_.detect_rotation(*gray, ocr_dpi);
    if (!rotation) {
      page.warnings.push_back(rotation.error().message);
    } else if (*rotation != 0) {
      page.rotation = *rotation;
      *gray = rotate_clockwise(*gray, *rotation);
    }
    auto ocr = ocr_.recognize(*gray, ocr_dpi, options.lang, page_stop);
    if (!ocr) return std::unexpected(ocr.error());

    // Layout runs upright, in points; boxes go back to the page's own frame afterwards.
    const float pt_per_px = static_cast<float>(72.0 / *dpi);
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

  Status status;
  try {
    status = run();
  } catch (const std::bad_alloc&) {
    // One page's allocation failing (a huge image, a pathological layout) fails that page;
    // what it had allocated is freed on the way out.
    status = fail(ErrorCode::kInternal, fmt::format("page {} ran out of memory", page_index + 1));
  }
  if (!status && status.error().code == ErrorCode::kCancelled) {
    // The same token stops a page for two reasons: a cancelled job (the page is abandoned) and
    // the page's time limit (the page fails, the job goes on).
    if (deadline.timed_out()) {
      status = fail(ErrorCode::kTooLarge, fmt::format("page {} ran past the {} page time limit",
                                                      page_index + 1, seconds(limits_.timeout)));
    } else if (stop.stop_requested()) {
      return std::unexpected(status.error());
    }
  }
  auto warnings = doc.context().take_warnings();
  // MuPDF draws what it can of a damaged page and warns; a page that came out empty with such
  // warnings is reported as failed rather than passed off as blank.
  if (status && page.blocks.empty() && !warnings.empty()) {
    status = fail(ErrorCode::kCorrupt, "the page is damaged: " + warnings.front());
  }
  if (!status) {
    page.method = ReadMethod::kFailed;
    page.blocks.clear();
    page.error = valid_utf8(status.error().message);
  }
  // Valid UTF-8 already: MupdfContext cleans MuPDF's warnings where it receives them.
  for (auto& w : warnings) page.warnings.push_back("MuPDF: " + w);
  page.millis =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return page;
}

}  // namespace docmill
