#include "exec/upload_probe.h"

#include <signal.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "exec/child_process.h"

namespace docmill {

Result<int> probe_in_child(const std::filesystem::path& binary, const std::filesystem::path& pdf,
                           ProbeLimits limits) {
  auto child =
      ChildProcess::spawn(binary, {"probe", pdf.string()}, {.address_space = limits.memory_bytes});
  if (!child) return std::unexpected(child.error());
  child->close_input();
  auto line = child->read_line(limits.timeout);
  if (!line) {
    const bool hung = !child->output_ended();
    if (hung) child->kill(SIGKILL);
    const ChildExit exit = child->wait();
    if (hung) {
      return fail(
          ErrorCode::kCorrupt,
          fmt::format("the PDF could not be checked within {} s; it may be damaged or "
                      "built to stall readers",
                      std::chrono::duration_cast<std::chrono::seconds>(limits.timeout).count()));
    }
    return fail(
        ErrorCode::kCorrupt,
        fmt::format("the PDF is damaged: opening it crashed the checker ({})", exit.describe()));
  }
  child->wait();
  const auto json = nlohmann::json::parse(*line, nullptr, false);
  if (json.is_object() && json.contains("pages") && json["pages"].is_number_integer()) {
    return json["pages"].get<int>();
  }
  if (json.is_object() && json.contains("code") && json["code"].is_string() &&
      json.contains("message") && json["message"].is_string()) {
    return fail(parse_error_code(json["code"].get<std::string>()),
                json["message"].get<std::string>());
  }
  return fail(ErrorCode::kInternal, fmt::format("the upload check answered '{}'", *line));
}

}  // namespace docmill
