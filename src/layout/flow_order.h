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

}  // namespace docmill
