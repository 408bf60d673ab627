#pragma once
// Tables of contents: entries of a title, a dot leader and a page number ("2.1 Vectors . . . 8")
// that the text layer gives as pieces on one baseline.
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "layout/page_model.h"

namespace docmill {

// The entry with its dot leader (". . . . .", "......", "……") collapsed to " … ";
// nullopt when `entry` does not end in a leader and a page number.
std::optional<std::string> collapse_leader(std::string_view entry);

// The lines `idx` of a block as a list of contents entries, one per line ("- 2.1 Vectors … 8"),
// pieces on one baseline joined left to right and an entry wrapped onto a second line kept
// whole; nullopt unless at least half the entries end in a leader and a page number.
std::optional<std::string> contents_markdown(std::span<const TextLine> lines,
                                             std::span<const int> idx);

}  // namespace docmill
