#include "exec/running_units.h"

#include <utility>

#include <fmt/format.h>

namespace docmill {

std::string describe_unit(const WorkClaim& claim) {
  if (claim.is_assembly()) return fmt::format("job {} assembly", claim.job_id);
  return fmt::format("job {} page {}", claim.job_id, claim.page_index + 1);
}

RunningUnits::Ticket::Ticket(Ticket&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)),
      id_(other.id_),
      claim_(std::move(other.claim_)),
      stop_(std::move(other.stop_)) {}

RunningUnits::Ticket::~Ticket() {
  if (owner_ != nullptr) owner_->leave(id_);
}

Result<std::optional<RunningUnits::Ticket>> RunningUnits::claim(std::string_view worker_id,
                                                                const ClaimFn& claim_fn) {
  std::lock_guard lock(mu_);
  if (closed_) return std::nullopt;
  auto claimed = claim_fn();
  if (!claimed) return std::unexpected(std::move(claimed.error()));
  if (!*claimed) return std::nullopt;
  const std::uint64_t id = next_id_++;
  std::stop_source stop;
  entries_.emplace(id, Entry{**claimed, std::string(worker_id), stop});
  return Ticket(this, id, std::move(**claimed), std::move(stop));
}

void RunningUnits::cancel_job_and_wait(std::string_view job_id) {
  std::unique_lock lock(mu_);
  const auto in_job = [&] {
    bool any = false;
    for (auto& [id, e] : entries_) {
      if (e.claim.job_id == job_id) {
        e.stop.request_stop();
        any = true;
      }
    }
    return any;
  };
  left_.wait(lock, [&] { return !in_job(); });
}

void RunningUnits::close() {
  std::lock_guard lock(mu_);
  closed_ = true;
}

void RunningUnits::stop_all() {
  std::lock_guard lock(mu_);
  closed_ = true;
  for (auto& [id, e] : entries_) e.stop.request_stop();
}

void RunningUnits::stop_unit(std::uint64_t id) {
  std::lock_guard lock(mu_);
  if (auto it = entries_.find(id); it != entries_.end()) it->second.stop.request_stop();
}

std::vector<RunningUnits::Held> RunningUnits::snapshot() const {
  std::lock_guard lock(mu_);
  std::vector<Held> held;
  held.reserve(entries_.size());
  for (const auto& [id, e] : entries_) held.push_back({id, e.claim, e.worker_id});
  return held;
}

int RunningUnits::size() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(entries_.size());
}

void RunningUnits::leave(std::uint64_t id) {
  {
    std::lock_guard lock(mu_);
    entries_.erase(id);
  }
  left_.notify_all();
}

}  // namespace docmill
