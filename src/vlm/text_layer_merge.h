#pragma once
// A born-digital page read by a model: the model gives the structure (blocks, labels, reading
// order, tables, equations), the text layer the exact characters. Plain text blocks take the
// words of the text layer that lie inside their boxes, when those words cover the block; the
// model's own text stays for tables, equations, images and blocks the layer does not cover.
#include <vector>

#include "layout/page_model.h"

namespace docmill {

// True for the labels whose text may come from the text layer.
bool takes_text_layer(Label label);

// `blocks` in page points, in reading order; `lines` the text layer's lines in reading order.
// Each word goes to at most one block. Returns how many blocks took the layer's text.
int merge_text_layer(std::vector<Block>& blocks, const std::vector<TextLine>& lines);

}  // namespace docmill
