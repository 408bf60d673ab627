#include "cli/probe_command.h"

#include <iostream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "pdf/pdf_document.h"

namespace docmill {

void add_probe_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("probe", "Check an upload (used by docmill serve)");
  cmd->group("");  // hidden from --help
  auto path = std::make_shared<std::string>();
  cmd->add_option("file", *path)->required();
  cmd->callback([path, &exit_code] {
    auto pages = probe_pdf(*path);
    nlohmann::json out;
    if (pages) {
      out["pages"] = *pages;
    } else {
      out["code"] = to_string(pages.error().code);
      out["message"] = pages.error().message;
    }
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    exit_code = 0;
  });
}

}  // namespace docmill
