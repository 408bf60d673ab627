#include "cli/progress_bar.h"

#include <unistd.h>

#include <string>

#include <fmt/format.h>

namespace docmill {

ProgressBar::ProgressBar(std::FILE* out) : out_(out), active_(isatty(fileno(out)) != 0) {}

void ProgressBar::update(const ConvertProgress& p) {
  if (!active_ || p.total <= 0) return;
  constexpr int kWidth = 30;
  const int filled = p.done * kWidth / p.total;
  const double rate = p.seconds > 0 ? p.done / p.seconds : 0;
  // Documents only when there are several: one file's bar stays as it was.
  const std::string documents =
      p.documents_total > 1 ? fmt::format("  {}/{} documents", p.documents_done, p.documents_total)
                            : std::string();
  fmt::print(out_, "\r[{}{}] {}/{} pages{}  {:.2f} pages/s", std::string(filled, '#'),
             std::string(kWidth - filled, '.'), p.done, p.total, documents, rate);
  std::fflush(out_);
}

void ProgressBar::finish() {
  if (active_) fmt::print(out_, "\n");
}

}  // namespace docmill
