// docmill: `serve` (the HTTP API with its workers) and `convert` (one PDF, offline).
#include <CLI/CLI.hpp>

#include "cli/convert_command.h"

int main(int argc, char** argv) {
  CLI::App app{"docmill: PDF to markdown, layout and figures, with Tesseract OCR"};
  app.require_subcommand(1);
  int exit_code = 0;
  docmill::add_convert_command(app, exit_code);
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
