#include "pipeline/page_processor.h"

#include <chrono>
#include <cmath>
#include <new>
#include <optional>

#include <fmt/format.h>

#include "core/utf8.h"
#include "layout/estimated_lines.h"
#include "layout/figure_finder.h"
#include "layout/flow_order.h"
#include "layout/layout_analyzer.h"
#include "layout/number_rows.h"
#include "layout/row_pieces.h"
#include "layout/rule_lines.h"
#include "layout/rule_marks.h"
#include "layout/section_numbers.h"
#include "ocr/rotation_check.h"
#include "ocr/rule_finder.h"
#include "pdf/hidden_text.h"
#include "pipeline/blank_page.h"
#include "pipeline/hidden_layer.h"
#include "pipeline/page_deadline.h"
#include "pipeline/read_method.h"
#include "pipeline/scan_resolution.h"
#include "render/jpeg_reader.h"
#include "render/jpeg_writer.h"
#include "render/markdown.h"
#include "vlm/text_layer_merge.h"

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

// The words of an OCR line with their boxes, as searchable.pdf lays them out.
OcrLine ocr_line_of(const TextLine& line) {
  OcrLine out{line.box, {}};
  for (size_t i = 0; i < line.words.size() && i < line.word_boxes.size(); ++i) {
    if (!line.words[i].empty()) out.words.push_back({line.word_boxes[i], line.words[i]});
  }
  return out;
}

// Crops the figures from `render`, whose top-left pixel is page pixel (x0, y0).
Status write_figures(const std::vector<Block>& blocks, const Raster& render, float px_per_pt,
                     int page_index, const std::filesystem::path& images_dir, int x0 = 0,
                     int y0 = 0) {
  if (images_dir.empty()) return {};  // no output links figures (`--format`)
  for (const auto& b : blocks) {
    if (b.label != Label::kImage) continue;
    const Box px = scale_box(b.box, px_per_pt);
    const Raster fig = crop(
        render, static_cast<int>(std::floor(px.x0)) - x0, static_cast<int>(std::floor(px.y0)) - y0,
        static_cast<int>(std::ceil(px.x1)) - x0, static_cast<int>(std::ceil(px.y1)) - y0);
    if (fig.empty()) continue;
    auto ok = write_jpeg(fig, images_dir / image_file_name(page_index, b.image_index));
    if (!ok) return ok;
  }
  return {};
}

// A flow that leaves a column and comes back to it this often is not read as a person would.
constexpr int kMaxColumnReturns = 2;

// Puts text-layer lines into the page's reading flow, with the columns in their geometric order
// where the flow contradicts them; false (lines untouched, layout orders them by position) when
// there is no flow or it disagrees with the text layer.
bool put_in_reading_flow(PdfDocument& doc, int page_index, std::vector<TextLine>& lines,
                         float page_width) {
  if (lines.empty()) return false;
  auto words = doc.reading_flow(page_index);
  if (!words) return false;
  auto order = flow_order(lines, *words);
  if (!order) return false;
  // Where the flow goes back and forth between the page's columns, the columns' order wins.
  if (column_returns(lines, *order, page_width) >= kMaxColumnReturns) {
    order = by_columns(lines, std::move(*order), page_width);
  }
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

// The smallest box holding every figure, the part of a text-layer page drawn to crop them from.
Box figures_area(const std::vector<Block>& blocks) {
  Box area{};
  bool first = true;
  for (const auto& b : blocks) {
    if (b.label != Label::kImage) continue;
    area = first ? b.box : area.united(b.box);
    first = false;
  }
  return area;
}

std::string seconds(std::chrono::milliseconds d) {
  return fmt::format("{:g} s", static_cast<double>(d.count()) / 1000.0);
}

// The model's blocks placed on a page of `w` x `h` points: its 0–999 boxes are fractions of the
// image, which is the whole page. A block without a box (a plain-markdown model) gets the page.
std::vector<Block> place_blocks(std::vector<VlmBlock> answer, float w, float h) {
  std::vector<Block> blocks;
  int images = 0;
  for (auto& vb : answer) {
    Block b;
    b.label = vb.label;
    b.text = std::move(vb.text);
    b.heading_level = vb.heading_level;
    std::vector<Box> boxes;
    for (const auto& n : vb.boxes) {
      boxes.push_back({static_cast<float>(n.x0) / 999.f * w, static_cast<float>(n.y0) / 999.f * h,
                       static_cast<float>(n.x1) / 999.f * w, static_cast<float>(n.y1) / 999.f * h});
    }
    if (boxes.empty()) boxes.push_back({0, 0, w, h});
    b.box = boxes.front();
    b.more_boxes.assign(boxes.begin() + 1, boxes.end());
    if (b.label == Label::kImage) {
      if (b.box.empty()) continue;
      b.image_index = images++;
    }
    blocks.push_back(std::move(b));
  }
  return blocks;
}

// The resolution of the image sent to the model: the configured dpi, lowered so that the
// long side stays within the configured pixels.
double model_dpi(PageSize size, const VlmSettings& vlm) {
  const double long_side_pt = std::max(size.width, size.height);
  double dpi = vlm.dpi;
  if (long_side_pt > 0) dpi = std::min(dpi, vlm.max_side * 72.0 / long_side_pt);
  return dpi;
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
  const long long max_pixels = limits_.max_render_pixels;

  // Work on MuPDF and Tesseract runs in a turn on a core, under the page's deadline: `page_stop`
  // fires on `stop` or when the time is up. A page on the model gives its turn back while it
  // waits for the answer, and takes a new one (with a fresh deadline) for what follows.
  std::optional<CoreTurns::Turn> turn;
  std::optional<PageDeadline> deadline;
  std::stop_token page_stop;
  bool timed_out = false;
  const auto end_cpu = [&] {
    if (deadline && deadline->timed_out()) timed_out = true;
    deadline.reset();
    if (turn) {
      turn.reset();
      turns_.waiting();
    }
  };
  const auto begin_cpu = [&]() -> Status {
    end_cpu();
    auto t = turns_.take(stop);
    if (!t) return fail(ErrorCode::kCancelled, "stopped");
    turn.emplace(std::move(*t));
    deadline.emplace(stop, limits_.timeout);
    page_stop = deadline->token();
    return {};
  };

  // The resolution to render at for `dpi` within the pixel budget; a warning when lowered.
  auto budget_dpi = [&](PageSize size, double dpi) -> Result<double> {
    const double d = dpi_within_budget(size, static_cast<int>(std::ceil(dpi)), max_pixels);
    if (d <= 0) {
      return fail(ErrorCode::kTooLarge,
                  fmt::format("page {} ({:.0f} x {:.0f} pt) cannot be rendered within the render "
                              "budget of {} pixels",
                              page_index + 1, size.width, size.height, max_pixels));
    }
    if (d < dpi) {
      page.warnings.push_back(fmt::format(
          "rendered at {:g} dpi instead of {:g}: the page ({:.0f} x {:.0f} pt) is over the render "
          "budget of {} pixels",
          d, dpi, size.width, size.height, max_pixels));
      return d;
    }
    return dpi;
  };

  bool use_model = options.engine == EngineKind::kVlm && vlm_ != nullptr;
  std::optional<Error> model_error;  // why the model could not read the page
  std::optional<VlmPageStats> model_stats;

  // The model's reading of the page; false in `model_error` when it could not.
  auto read_by_model = [&](const PageSize& size, TextLayer& layer, bool layer_usable) -> Status {
    const VlmSettings& vlm = vlm_->settings();
    // Only boxes say which words belong to a block: a plain-markdown answer has none.
    const bool merge = layer_usable && vlm.text_layer == VlmTextLayer::kMerge &&
                       vlm.protocol == VlmProtocol::kDeepseek;
    if (merge && !page_stop.stop_requested())
      put_in_reading_flow(doc, page_index, layer.lines, size.width);
    auto dpi = budget_dpi(size, model_dpi(size, vlm));
    if (!dpi) return std::unexpected(dpi.error());
    std::optional<Error> render_error;  // the page itself could not be drawn
    // Called by the engine (once, or again smaller): a turn on a core for the render. Only the
    // JPEG is kept while the model reads; the figures are cropped from it afterwards.
    const auto image = [&](double scale) -> Result<VlmImage> {
      if (auto ok = begin_cpu(); !ok) return std::unexpected(ok.error());
      auto render = doc.render(page_index, *dpi * scale, 3, max_pixels, page_stop);
      if (!render) {
        render_error = render.error();
        end_cpu();
        return std::unexpected(render.error());
      }
      auto bytes = encode_jpeg(*render, 90);
      end_cpu();
      if (!bytes) return std::unexpected(bytes.error());
      return VlmImage{std::move(*bytes), "image/jpeg", render->width, render->height};
    };
    end_cpu();
    auto read = vlm_->read(image, stop);
    if (auto ok = begin_cpu(); !ok) return ok;
    if (render_error) return std::unexpected(*render_error);
    if (!read) {
      if (read.error().code == ErrorCode::kCancelled) return std::unexpected(read.error());
      model_error = read.error();
      return {};
    }
    model_stats = read->stats;
    for (auto& w : read->answer.warnings) page.warnings.push_back("model: " + w);
    page.blocks = place_blocks(std::move(read->answer.blocks), size.width, size.height);
    page.method = ReadMethod::kVlm;
    if (merge) merge_text_layer(page.blocks, layer.lines);
    // A scan read by the model: its words for searchable.pdf, placed as well as blocks allow.
    if (!layer_usable) page.ocr_lines = estimated_lines(page.blocks);
    // No second render for figures nobody links.
    if (!has_figures(page.blocks) || images_dir.empty()) return {};
    auto sent = decode_jpeg(read->image.bytes);
    if (!sent) return std::unexpected(sent.error());
    return write_figures(page.blocks, *sent, static_cast<float>(sent->width) / size.width,
                         page_index, images_dir);
  };

  // Runs the steps; a failed step becomes the page's error, not the document's.
  auto run = [&]() -> Status {
    if (auto ok = begin_cpu(); !ok) return ok;
    auto size = doc.page_size(page_index);
    if (!size) return std::unexpected(size.error());
    page.width = size->width;
    page.height = size->height;
    // Decoded once under the page's stop token: a decompression bomb in the content stream
    // runs into the time limit here, where MuPDF's interpreter would not notice it.
    if (auto ok = doc.read_contents(page_index, page_stop); !ok) return ok;

    TextLayer layer;
    std::vector<ImagePlacement> placed_images;  // for the OCR resolution of a scanned page
    if (!options.force_ocr) {
      auto l = doc.text_layer(page_index, page_stop);
      if (!l) return std::unexpected(l.error());
      layer = std::move(*l);
      for (auto& w : layer.warnings) page.warnings.push_back(std::move(w));
      placed_images = layer.placed_images;
    } else if (auto l = doc.text_layer(page_index, page_stop); l) {
      placed_images = std::move(l->placed_images);  // the text itself is not used
    }
    page.method = choose_read_method(layer, *size, options.force_ocr);
    if (!options.force_ocr && has_hidden_ocr_layer(layer, *size)) {
      page.method = read_hidden_layer(layer, *size, options.ocr_existing, page);
    }
    // A kept hidden layer has positions, not fonts or an order worth following.
    const bool hidden_kept = page.hidden_layer && page.hidden_layer->kept;

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

    if (use_model) return read_by_model(*size, layer, page.method == ReadMethod::kTextLayer);

    if (page.method == ReadMethod::kTextLayer) {
      auto figures =
          find_figures(layer.images, layer.drawings, layer.lines, size->width, size->height);
      // Pieces of a row are joined first: the flow may put them far apart.
      layer.lines = join_section_numbers(join_row_pieces(join_number_rows(std::move(layer.lines))));
      // Poppler cannot be stopped once asked: not asked when the time is already up.
      const bool in_order = !hidden_kept && !page_stop.stop_requested() &&
                            put_in_reading_flow(doc, page_index, layer.lines, size->width);
      PageContent content{
          size->width,     size->height, std::move(layer.lines), std::move(figures), hidden_kept,
          page_index == 0, in_order};
      layer.strokes.insert(layer.strokes.end(), layer.drawings.begin(), layer.drawings.end());
      content.rules = find_rule_lines(layer.strokes);
      page.blocks = analyze_layout(content);
      // No second render for figures nobody links.
      if (!has_figures(page.blocks) || images_dir.empty()) return {};
      auto dpi = budget_dpi(*size, std::min(options.dpi, kFigureDpi));
      if (!dpi) return std::unexpected(dpi.error());
      auto drawn =
          doc.render_area(page_index, *dpi, figures_area(page.blocks), max_pixels, page_stop);
      if (!drawn) return std::unexpected(drawn.error());
      return write_figures(page.blocks, drawn->raster, static_cast<float>(*dpi) / 72.f, page_index,
                           images_dir, drawn->x0, drawn->y0);
    }

    const auto scan = page_image(placed_images, *size);
    if (scan) page.image_ppi = scan->ppi;
    auto dpi = budget_dpi(*size, ocr_render_dpi(scan, options.dpi));
    if (!dpi) return std::unexpected(dpi.error());
    auto gray = doc.render(page_index, *dpi, 1, max_pixels, page_stop);
    if (!gray) return std::unexpected(gray.error());
    if (page_stop.stop_requested()) return fail(ErrorCode::kCancelled, "stopped");
    // Tesseract takes whole dpi; below 1 (a page of hundreds of metres) it is told 1.
    const int ocr_dpi = std::max(1, static_cast<int>(std::lround(*dpi)));
    page.ocr_dpi = ocr_dpi;
    // Most pages stand upright and their first reading shows it, which spares orientation
    // detection (a sixth of a page's time); only the others are checked, and read again if turned.
    auto read = read_upright(ocr_, *gray, ocr_dpi, options.lang, page_stop);
    if (!read) return std::unexpected(read.error());
    if (read->warning) page.warnings.push_back(std::move(*read->warning));
    page.rotation = read->rotation;
    page.rotation_check = std::move(read->check);
    OcrPage& ocr = read->ocr;

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
    auto rules = find_drawn_rules(*gray, *dpi);
    for (auto& r : rules) r = scale_box(r, pt_per_px);
    content.rules = find_rule_lines(rules);
    for (auto& line : ocr.lines) {
      line.box = scale_box(line.box, pt_per_px);
      line.size *= pt_per_px;
      for (auto& wb : line.word_boxes) wb = scale_box(wb, pt_per_px);
    }
    content.lines = drop_rule_marks(std::move(ocr.lines), content.rules.vertical);
    for (const auto& line : content.lines) page.ocr_lines.push_back(ocr_line_of(line));
    for (const auto& f : ocr.figures) content.figures.push_back(scale_box(f, pt_per_px));
    page.blocks = analyze_layout(content);
    page.mean_confidence = ocr.mean_confidence;
    if (auto ok = write_figures(page.blocks, *gray, 1.f / pt_per_px, page_index, images_dir); !ok) {
      return ok;
    }
    for (auto& b : page.blocks)
      b.box = unrotate(b.box, page.rotation, content.width, content.height);
    return {};
  };

  // Runs `run`, turning an allocation failure into the page's error.
  const auto guarded = [&]() -> Status {
    try {
      return run();
    } catch (const std::bad_alloc&) {
      // One page's allocation failing (a huge image, a pathological layout) fails that page;
      // what it had allocated is freed on the way out.
      return fail(ErrorCode::kInternal, fmt::format("page {} ran out of memory", page_index + 1));
    }
  };
  Status status = guarded();
  if (status && model_error) {
    // The model could not read the page: fall back to the embedded engine, fail the page, or
    // (the server is down, and pages wait for it) hand the page back to be put off.
    const VlmSettings& vlm = vlm_->settings();
    const std::string why =
        fmt::format("the model could not read page {}: {}", page_index + 1, model_error->message);
    if (vlm.fallback == VlmFallback::kFail) {
      end_cpu();
      if (model_error->code == ErrorCode::kUnavailable) return std::unexpected(*model_error);
      status = fail(model_error->code, why);
    } else {
      if (!model_stats) model_stats = VlmPageStats{};
      model_stats->fallback = model_error->message;
      if (model_stats->model.empty()) model_stats->model = vlm.model;
      page.blocks.clear();
      page.warnings = {why + "; read by the embedded engine instead"};
      use_model = false;
      status = guarded();
    }
  }
  end_cpu();
  page.vlm = std::move(model_stats);
  if (!status && status.error().code == ErrorCode::kCancelled) {
    // The same token stops a page for two reasons: a cancelled job (the page is abandoned) and
    // the page's time limit (the page fails, the job goes on).
    if (timed_out) {
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
