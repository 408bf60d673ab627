#pragma once
// What a page is made of once read: lines of text with their style, figure regions, and the
// labelled blocks that layout analysis groups them into. Pure data, shared by every stage.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "layout/geometry.h"

namespace docmill {

// A line of text as read from the text layer or from OCR.
struct TextLine {
  Box box;
  std::string text;  // UTF-8, words separated by single spaces
  float size = 0;    // font size (text layer) or x-height-based size estimate (OCR), points
  bool bold = false;
  bool italic = false;
  bool monospace = false;
  float confidence = 100;  // OCR mean word confidence 0–100; 100 for the text layer
  // Word boxes, in line order: lets table detection see the gaps between cells.
  std::vector<Box> word_boxes;
  std::vector<std::string> words;
  // Share (0-1) of the line's characters set in a math font (CMMI, CMSY, MSBM, STIX Math,
  // Symbol...): display equations are mostly such characters, prose hardly any. 0 for OCR.
  float math_font_share = 0;
  // A row of a grid of figures (layout/number_rows): a table's row, not a formula or a list
  // item, whatever its decimal points are set in.
  bool figure_row{};
};

// The DeepSeek-OCR label vocabulary (API.md).
enum class Label {
  kTitle,
  kSubTitle,
  kText,
  kList,
  kTable,
  kTableCaption,
  kTableFootnote,
  kImage,
  kImageCaption,
  kEquation,
  kCode,
  kHeader,
  kFooter,
  kPageNumber,
};

std::string_view to_string(Label label);
std::optional<Label> parse_label(std::string_view s);

struct Block {
  Label label = Label::kText;
  Box box;
  // The block's content as markdown without the heading marks: paragraph text, list items
  // ("- item" lines), a markdown table, an equation's TeX-ish text. Empty for images.
  std::string text;
  int heading_level = 0;  // 1–6 for title / sub_title
  int image_index = -1;   // for kImage: the idx of images/{page}_{idx}.jpg
  // Further boxes of the same block: one paragraph may have several (it runs on into the next
  // column, or around a figure). Drawn and tagged like `box`.
  std::vector<Box> more_boxes{};
};

// How a page was read. kBlank: nothing on it (no content, or no ink in a low-resolution
// render), so it was not OCR'd; it counts as processed, with no blocks.
// kVlm: read by an OCR vision-language model (its text blocks may take the text layer's
// characters).
enum class ReadMethod { kTextLayer, kOcr, kVlm, kBlank, kFailed };
std::string_view to_string(ReadMethod m);
std::optional<ReadMethod> parse_read_method(std::string_view s);

// How a model read the page (pages.json), or why it could not and the page fell back.
struct VlmPageStats {
  std::string model;
  int prompt_tokens = 0;
  int completion_tokens = 0;
  std::string finish_reason;
  int retries = 0;  // requests beyond the first
  int image_width = 0;
  int image_height = 0;
  std::optional<std::string> fallback{};  // set when the page was read by the embedded engine
};

// What was done with a page's hidden OCR layer: text drawn invisibly over a scan by someone
// else's OCR (pages.json "hidden_text_layer").
struct HiddenLayerReport {
  bool kept = false;  // read as the page's text; false: the page was OCR'd again
  float quality = 0;  // share of its words that read like words, 0–1
  std::string reason;
};

// Whether the page image was turned before OCR, and why (pages.json "rotation_check"). Only
// pages where orientation detection proposed a turn have one.
struct RotationReport {
  int proposed = 0;  // degrees clockwise orientation detection asked for
  float osd_confidence = 0;
  // Mean OCR confidence (0–100) of a strip of the page read as it is and turned; unset when
  // not read (orientation detection was unsure).
  std::optional<float> strip_confidence_as_is{};
  std::optional<float> strip_confidence_turned{};
  std::string reason;
  int applied = 0;  // the turn taken: `proposed` or 0
};

// A word as OCR read it and the line it sits on: searchable.pdf's invisible text layer is laid
// word by word over the page image from these.
struct OcrWord {
  Box box;
  std::string text;
};
struct OcrLine {
  Box box;
  std::vector<OcrWord> words;
};

// One page, processed: everything the outputs are made from.
struct PageResult {
  int page_index = 0;  // 0-based page of the PDF
  float width = 0;     // page size in points (after the page's own /Rotate)
  float height = 0;
  ReadMethod method = ReadMethod::kFailed;
  int rotation = 0;                      // degrees the page image was turned clockwise before OCR
  std::vector<Block> blocks;             // in reading order
  std::optional<float> mean_confidence;  // OCR pages only
  double millis = 0;
  std::vector<std::string> warnings;
  std::optional<std::string> error;   // set when the page could not be processed
  std::optional<VlmPageStats> vlm{};  // set when the page was sent to a model
  int ocr_dpi = 0;                    // resolution the page was rendered at for OCR; 0: not
  std::optional<float> image_ppi{};   // a page that is one image: the image's own resolution
  std::optional<HiddenLayerReport> hidden_layer{};
  std::optional<RotationReport> rotation_check{};
  // OCR pages: every line Tesseract read, in points of the page as OCR saw it (upright: the
  // page turned clockwise by `rotation`), for searchable.pdf; scans read by a model: their
  // blocks' words where they probably are (layout/estimated_lines). Empty on other pages.
  std::vector<OcrLine> ocr_lines{};
};

}  // namespace docmill
