#pragma once
// Text-layer lines put into the order of a reading flow (pdf/text_flow.h): each line takes the
// place of the earliest flow word that lies on one of its words.
#include <optional>
#include <span>
#include <vector>

#include "layout/page_model.h"

namespace docmill {

// The indices of `lines` in the order of `flow` (word boxes in reading order). Lines that match
// no flow word stay right after the line they followed. nullopt when too little of the text is
// found in the flow for its order to be trusted (the two readers disagree about the page).
std::optional<std::vector<size_t>> flow_order(std::span<const TextLine> lines,
                                              std::span<const Box> flow);

// How often a flow order leaves a column of the page's geometric order (a region of
// reading_order with three lines or more) and comes back to it later: zero when the flow reads
// each column through, as a person does. Poppler's flow does not always: it may read a column's
// top, the next column, then the rest of the first (a section read before its heading, a
// heading number parted from its title).
int column_returns(std::span<const TextLine> lines, std::span<const size_t> order,
                   float page_width);

// `order` (a flow order of `lines`) with the page's columns read one after the other, in the
// geometric order, each in the flow's order: the flow's reading inside a column (floats,
// formula lines, footnotes) is kept, its order of the columns is not. A column the flow reads
// going back up by more than two lines is read top to bottom.
std::vector<size_t> by_columns(std::span<const TextLine> lines, std::vector<size_t> order,
                               float page_width);

}  // namespace docmill
