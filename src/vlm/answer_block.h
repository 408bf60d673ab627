#pragma once
// One block of a model's answer, from the label the model gave it and the markdown it wrote, to
// what the page model holds (Block::text's conventions): heading marks moved into the level,
// tables as markdown (HTML where cells span), equations as bare TeX, lists as "- item" lines,
// inline math as $…$. Shared by both answer protocols, so that a DeepSeek block and a plain
// markdown block of the same kind come out alike.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "layout/page_model.h"
#include "vlm/vlm_answer.h"

namespace docmill {

// The block without boxes, or nothing when it has no content (an image always has a block).
// `warnings` gets a line for what could not be read as it should (a table cut short).
std::optional<VlmBlock> finish_block(Label label, std::string_view markdown,
                                     std::vector<std::string>& warnings);

// `\( x \)` -> `$x$`, `\[ x \]` -> `$$x$$` (delimiters escaped as `\\(` are left alone), and
// the model's own replacements: `\coloneqq` -> `:=`, `\eqqcolon` -> `=:`.
std::string markdown_math(std::string_view text);

// The lines as a markdown list when every non-blank line is a list item ("- ", "* ", "•",
// "1.", "2)", "(3)", "a)", "(iv)"); with `continuations`, lines that are not items continue
// the item before them. Bullets become "- item", numbers "1. item", letters "- a) item".
std::optional<std::string> list_markdown(std::string_view text, bool continuations);

// `s` without spaces, tabs and newlines at either end.
std::string_view trim_answer(std::string_view s);

// The lines of `s`, split at '\n' (a last line without one counts; "" is one empty line).
std::vector<std::string_view> split_lines(std::string_view s);

}  // namespace docmill
