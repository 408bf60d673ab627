#pragma once
// A section number that the text layer (or the reading flow) keeps apart from its title on the
// same baseline: "2.1" ... "Vectors and assignment". Joined back into one line.
#include <string_view>
#include <vector>

#include "layout/page_model.h"

namespace docmill {

// "3", "2.1", "5.4.1", "A.1", "IV.": a section number and nothing else.
bool is_bare_section_number(std::string_view text);

// Each bare section number line joined with the line just right of it on the same baseline,
// when that line is set in about the same size and starts with a capital. The joined line takes
// the place of whichever of the two came first; the order of the others is kept.
std::vector<TextLine> join_section_numbers(std::vector<TextLine> lines);

}  // namespace docmill
