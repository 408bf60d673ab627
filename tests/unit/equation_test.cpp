#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "layout/equation_detector.h"
#include "layout/layout_analyzer.h"
#include "layout/math_text.h"
#include "render/markdown.h"
#include "support/synthetic_page.h"

namespace docmill {
namespace {

using testing::append;
using testing::column_at;
using testing::describe;
using testing::find_block;
using testing::line_at;
using testing::page_of;

// A formula line as a text layer gives it: set in a math font, indented, with a line of space
// above and below.
TextLine formula_at(float x, float y, std::string_view text) {
  TextLine l = line_at(x, y, text);
  l.math_font_share = 0.6f;
  return l;
}

TEST(DisplayEquation, ANumberedFormulaBetweenParagraphsIsAnEquationBlock) {
  std::vector<TextLine> lines =
      column_at(72, 100,
                {"The energy of a body at rest follows from its mass and the speed",
                 "of light, as the well known relation states:"});
  lines.push_back(formula_at(220, 134, "E0 = m c2 + \xCE\xB1"));
  lines.push_back(line_at(480, 134, "(3)"));
  append(lines, column_at(72, 160,
                          {"where c is the speed of light in vacuum and m the rest mass of the",
                           "body, measured in kilograms for every sample we took."}));
  const auto blocks = analyze_layout(page_of(std::move(lines)));
  SCOPED_TRACE(describe(blocks));
  ASSERT_EQ(blocks.size(), 3u) << "paragraph, equation (with its number), paragraph";
  EXPECT_EQ(blocks[0].label, Label::kText);
  EXPECT_EQ(blocks[1].label, Label::kEquation);
  EXPECT_EQ(blocks[1].text, "E0 = m c2 + \xCE\xB1 \\tag{3}");
  EXPECT_EQ(block_markdown(blocks[1], 0), "$$\nE0 = m c2 + \xCE\xB1 \\tag{3}\n$$");
  EXPECT_EQ(blocks[2].label, Label::kText);
}

TEST(DisplayEquation, AFormulaSplitIntoPiecesIsOneEquation) {
  // A fraction: numerator and denominator are lines of their own above and below the main one.
  std::vector<TextLine> lines =
      column_at(72, 100,
                {"The interaction of the field with the electrons in the crystal is",
                 "then written as the product of two terms:"});
  lines.push_back(line_at(236, 128, "ie"));
  lines.push_back(formula_at(200, 134, "H ="));
  lines.push_back(line_at(230, 140, "m\xCF\x89"));
  lines.push_back(formula_at(250, 134, "E \xC2\xB7 p"));
  append(lines, column_at(72, 166, {"Here e and m are the charge and the mass of the electron."}));
  const auto blocks = analyze_layout(page_of(std::move(lines)));
  SCOPED_TRACE(describe(blocks));
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(blocks[1].label, Label::kEquation);
  for (const char* piece : {"ie", "H =", "m\xCF\x89", "E \xC2\xB7 p"}) {
    EXPECT_NE(blocks[1].text.find(piece), std::string::npos) << piece;
  }
}

TEST(DisplayEquation, AFormulaLineInsideASentenceStaysInItsParagraph) {
  // Math set in a math font, but in the run of the text: it starts at the column's edge and the
  // sentence goes on after it in lower case.
  std::vector<TextLine> lines =
      column_at(72, 100,
                {"For resonant coupling the size parameter of the sphere must be",
                 "set by the resonant wave vector in the oxide, here"});
  lines.push_back(formula_at(72, 124,
                             "k0 = 2.62 \xC3\x97 107 m\xE2\x88\x92"
                             "1 and \xCE\xB5 = 1.59,"));
  append(lines,
         column_at(72, 136, {"which gives the size parameter of the sphere we need to use."}));
  const auto blocks = analyze_layout(page_of(std::move(lines)));
  SCOPED_TRACE(describe(blocks));
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].label, Label::kText);
  EXPECT_NE(blocks[0].text.find("k0 = 2.62"), std::string::npos);
}

TEST(DisplayEquation, ATallLineWithSubscriptsDoesNotCutItsParagraph) {
  std::vector<TextLine> lines = column_at(72, 100, {"the z component of the angular momentum is"});
  TextLine tall = line_at(72, 112, "one, E0 is the amplitude of the field and the");
  tall.box.y1 += 7;  // a subscript below the line makes its box reach into the next
  lines.push_back(tall);
  append(lines, column_at(72, 124, {"phase is given by the scattered field as follows."}));
  const auto blocks = analyze_layout(page_of(std::move(lines)));
  SCOPED_TRACE(describe(blocks));
  ASSERT_EQ(blocks.size(), 1u);
}

TEST(EquationNumber, ParenthesisedNumbers) {
  EXPECT_TRUE(is_equation_number("(3)"));
  EXPECT_TRUE(is_equation_number("(12b)"));
  EXPECT_TRUE(is_equation_number("(2.4)"));
  EXPECT_TRUE(is_equation_number("(A1)"));
  EXPECT_FALSE(is_equation_number("(a)"));
  EXPECT_FALSE(is_equation_number("(see)"));
  EXPECT_FALSE(is_equation_number("3"));
}

TEST(TexEscaped, SpecialCharactersEscapedSymbolsKept) {
  EXPECT_EQ(tex_escaped("50% & #_{}"), "50\\% \\& \\#\\_\\{\\}");
  EXPECT_EQ(tex_escaped("a\\b"), "a\\backslash b");
  EXPECT_EQ(tex_escaped("\xCE\xB1 \xE2\x89\xA4 \xE2\x88\x91"), "\xCE\xB1 \xE2\x89\xA4 \xE2\x88\x91")
      << "Greek and operators as the text layer gives them";
}

TEST(EquationTex, SmallerWordsOffTheLineAreSubAndSuperscripts) {
  TextLine l;
  l.text = "E 0 2 = x";
  l.words = {"E", "0", "2", "=", "x"};
  l.word_boxes = {{100, 100, 108, 112},
                  {108, 106, 112, 114},
                  {112, 97, 116, 105},
                  {120, 100, 128, 112},
                  {130, 100, 138, 112}};
  l.box = {100, 97, 138, 114};
  const std::vector<TextLine> lines = {l};
  EXPECT_EQ(equation_tex(lines, {0}), "E_{0}^{2} = x");
}

}  // namespace
}  // namespace docmill
