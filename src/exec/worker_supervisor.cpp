#include "exec/worker_supervisor.h"

#include <signal.h>

#include <spdlog/spdlog.h>

#include <fmt/format.h>

#include "exec/worker_messages.h"
#include "layout/page_model.h"

namespace docmill {
namespace {

// How often a slot looks at its worker's time and memory when the worker says nothing.
constexpr auto kWatchEvery = std::chrono::milliseconds(100);
// A worker that dies this soon after starting, holding nothing, is failing to start: the slot
// waits before the next try (longer each time, up to kMaxBackoff) instead of spinning.
constexpr auto kQuickDeath = std::chrono::seconds(2);
constexpr int kMaxBackoffSeconds = 10;

std::vector<std::string> worker_args(const WorkerProcessOptions& o, const std::string& id) {
  std::vector<std::string> args = {"worker-process",
                                   "--store",
                                   o.store,
                                   "--data-dir",
                                   o.data_dir.string(),
                                   "--langs",
                                   o.langs,
                                   "--id",
                                   id,
                                   "--lease-ms",
                                   std::to_string(o.lease.count()),
                                   "--max-render-pixels",
                                   std::to_string(o.limits.max_render_pixels),
                                   "--page-timeout-ms",
                                   std::to_string(o.limits.timeout.count()),
                                   "--threads",
                                   std::to_string(o.threads),
                                   "--cores",
                                   std::to_string(o.cores)};
  if (o.s3.configured()) {
    for (const auto& [flag, value] :
         {std::pair{"--s3-endpoint", &o.s3.endpoint}, std::pair{"--s3-bucket", &o.s3.bucket},
          std::pair{"--s3-region", &o.s3.region}}) {
      args.emplace_back(flag);
      args.push_back(*value);
    }
  }
  if (o.vlm.configured()) {
    const auto& v = o.vlm;
    const std::pair<const char*, std::string> flags[] = {
        {"--vlm-url", v.url},
        {"--vlm-model", v.model},
        {"--vlm-timeout-seconds", std::to_string(v.timeout.count())},
        {"--vlm-max-tokens", std::to_string(v.max_tokens)},
        {"--vlm-dpi", std::to_string(v.dpi)},
        {"--vlm-max-side", std::to_string(v.max_side)},
        {"--vlm-fallback", std::string(to_string(v.fallback))},
        {"--vlm-protocol", std::string(to_string(v.protocol))},
        {"--vlm-text-layer", std::string(to_string(v.text_layer))},
        {"--vlm-retry-temperature", fmt::format("{}", v.retry_temperature)},
    };
    for (const auto& [flag, value] : flags) {
      if (value.empty()) continue;
      args.emplace_back(flag);
      args.push_back(value);
    }
  }
  return args;
}

// Stack address space reserved by each thread beyond the first (glibc's default 8 MiB stack,
// and slack for the thread's malloc arena bookkeeping).
constexpr long long kThreadAddressSpace = 16LL << 20;

std::string what_unit(const WorkClaim& claim) {
  return claim.is_assembly() ? std::string("assembling the outputs")
                             : fmt::format("page {}", claim.page_index + 1);
}

}  // namespace

WorkerSupervisor::WorkerSupervisor(JobStore& store, Metrics& metrics, SupervisorOptions options)
    : store_(store), metrics_(metrics), options_(std::move(options)) {
  for (int i = 0; i < options_.workers; ++i) {
    auto slot = std::make_unique<Slot>();
    slot->index = i;
    slots_.push_back(std::move(slot));
  }
}

WorkerSupervisor::~WorkerSupervisor() {
  stop(std::chrono::milliseconds(0));
}

void WorkerSupervisor::start() {
  if (started_) return;
  started_ = true;
  for (auto& slot : slots_) {
    Slot& s = *slot;
    s.thread = std::jthread([this, &s](std::stop_token stop) { run_slot(s, stop); });
  }
}

void WorkerSupervisor::run_slot(Slot& slot, std::stop_token stop) {
  int quick_deaths = 0;
  for (;;) {
    std::string id;
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      id = fmt::format("{}:w{}", options_.worker.id, ++generation_);
    }
    auto child = ChildProcess::spawn(options_.binary, worker_args(worker_options(slot.index), id),
                                     {.address_space = address_space_limit()}, worker_env());
    const auto started = std::chrono::steady_clock::now();
    if (child) {
      {
        std::lock_guard lock(mu_);
        slot.child = std::make_unique<ChildProcess>(std::move(*child));
        slot.limit_cause.clear();
        slot.worker_id = id;
      }
      watch(slot, stop);
      const ChildExit exit = slot.child->wait();
      const bool held_unit = [&] {
        std::lock_guard lock(mu_);
        return !slot.held.empty();
      }();
      on_exit(slot, exit);
      {
        std::lock_guard lock(mu_);
        slot.child.reset();
        if (stopping_) return;
      }
      if (held_unit || std::chrono::steady_clock::now() - started > kQuickDeath) {
        quick_deaths = 0;
        continue;
      }
    } else {
      spdlog::error("worker slot {}: cannot start a worker: {}", slot.index, child.error().message);
    }
    quick_deaths = std::min(quick_deaths + 1, kMaxBackoffSeconds);
    std::unique_lock lock(mu_);
    changed_.wait_for(lock, std::chrono::seconds(quick_deaths), [&] { return stopping_; });
  }
}

WorkerProcessOptions WorkerSupervisor::worker_options(int index) const {
  WorkerProcessOptions o = options_.worker;
  const int total = std::max(options_.worker.threads, 1);
  const int n = std::max(options_.workers, 1);
  o.threads = std::max(1, total / n + (index < total % n ? 1 : 0));
  return o;
}

long long WorkerSupervisor::address_space_limit() const {
  if (options_.memory_limit_bytes <= 0) return 0;
  const int threads = worker_options(0).threads;
  return options_.memory_limit_bytes + (threads - 1) * kThreadAddressSpace;
}

std::vector<std::string> WorkerSupervisor::worker_env() const {
  std::vector<std::string> env;
  if (const auto& key = options_.worker.vlm.api_key) env.push_back("DOCMILL_VLM_API_KEY=" + *key);
  if (const auto& s3 = options_.worker.s3; s3.configured()) {
    env.push_back("DOCMILL_S3_ACCESS_KEY_ID=" + s3.access_key_id);
    env.push_back("DOCMILL_S3_SECRET_ACCESS_KEY=" + s3.secret_access_key);
  }
  return env;
}

void WorkerSupervisor::watch(Slot& slot, std::stop_token stop) {
  ChildProcess& child = *slot.child;  // replaced only by this thread, after watch returns
  while (!stop.stop_requested()) {
    if (auto line = child.read_line(kWatchEvery)) {
      on_line(slot, *line);
      continue;
    }
    if (child.output_ended()) return;
    enforce_limits(slot);
  }
  child.kill(SIGKILL);
}

void WorkerSupervisor::on_line(Slot& slot, std::string_view line) {
  const auto w = worker_messages::words(line);
  if (w.empty()) return;
  {
    std::lock_guard lock(mu_);
    if (w[0] == "ready") {
      slot.ready = true;
    } else if (w[0] == "unready") {
      spdlog::warn("worker slot {}: {}", slot.index, line.substr(w[0].size()));
    } else if (w[0] == "unit") {
      if (auto unit = worker_messages::parse_unit(line)) {
        std::string thread = unit->worker_id;
        slot.held.insert_or_assign(std::move(thread),
                                   Held{std::move(unit->worker_id), std::move(unit->claim),
                                        std::chrono::steady_clock::now()});
      }
    } else if ((w[0] == "waiting" || w[0] == "working") && w.size() == 2) {
      if (auto it = slot.held.find(w[1]); it != slot.held.end()) {
        it->second.waiting = w[0] == "waiting";
        it->second.since = std::chrono::steady_clock::now();
      }
    } else if (w[0] == "page") {
      if (auto page = worker_messages::parse_page(line)) {
        metrics_.count_page(to_string(page->method), page->ok ? "ok" : "failed",
                            static_cast<double>(page->millis) / 1000.0);
        metrics_.count_vlm(page->vlm);
      }
    } else if (w[0] == "idle" && w.size() == 2) {
      if (auto it = slot.held.find(w[1]); it != slot.held.end()) slot.held.erase(it);
    } else if (w[0] == "cancelled" && w.size() == 2) {
      if (auto it = slot.awaiting_cancel.find(w[1]); it != slot.awaiting_cancel.end()) {
        slot.awaiting_cancel.erase(it);
      }
    }
  }
  changed_.notify_all();
  // A unit is claimed (and its job marked processing) before "unit", and recorded before "idle".
  if ((w[0] == "unit" || w[0] == "idle") && options_.job_changes != nullptr) {
    options_.job_changes->notify();
  }
}

std::chrono::milliseconds WorkerSupervisor::time_limit(const WorkClaim& claim) const {
  const auto page = options_.worker.limits.timeout;
  return claim.is_assembly() ? page * options_.assembly_timeout_factor : page;
}

void WorkerSupervisor::enforce_limits(Slot& slot) {
  std::lock_guard lock(mu_);
  if (!slot.limit_cause.empty()) return;  // already killed, waiting for it to end
  const auto now = std::chrono::steady_clock::now();
  if (stopping_ && now > stop_deadline_) {
    slot.child->kill(SIGKILL);  // past the shutdown grace: its unit's lease hands it on
    return;
  }
  if (slot.held.empty()) return;
  // The page stops itself at its limit (cooperatively); this catches what cannot be stopped.
  // Only work counts: a unit waiting for a core or for the model server is not running.
  const Held* late = nullptr;
  const Held* working = nullptr;
  for (const auto& [thread, h] : slot.held) {
    if (h.waiting) continue;
    working = &h;
    if (now - h.since > time_limit(h.claim) + options_.kill_after) late = &h;
  }
  const auto& claim = late      ? late->claim
                      : working ? working->claim
                                : slot.held.begin()->second.claim;
  const auto limit = time_limit(claim);
  if (late != nullptr) {
    slot.limit_cause = fmt::format(
        "{} ran past the {} s time limit (DOCMILL_PAGE_TIMEOUT_SECONDS{})", what_unit(claim),
        std::chrono::duration_cast<std::chrono::seconds>(limit).count(),
        claim.is_assembly() ? fmt::format(" x {} for assembly", options_.assembly_timeout_factor)
                            : "");
  } else if (options_.memory_limit_bytes > 0 &&
             slot.child->resident_bytes() > options_.memory_limit_bytes) {
    slot.limit_cause = fmt::format(
        "{} needed more than the worker memory limit of {} MiB "
        "(DOCMILL_WORKER_MEMORY_MB)",
        what_unit(claim), options_.memory_limit_bytes >> 20);
  } else {
    return;
  }
  spdlog::warn("worker slot {}: {}; stopping the worker", slot.index, slot.limit_cause);
  slot.child->kill(SIGKILL);
}

void WorkerSupervisor::on_exit(Slot& slot, const ChildExit& exit) {
  std::map<std::string, Held, std::less<>> all_held;
  std::string cause;
  std::string worker_id;
  bool stopping = false;
  {
    std::lock_guard lock(mu_);
    all_held = std::exchange(slot.held, {});
    worker_id = slot.worker_id;
    slot.ready = false;
    slot.awaiting_cancel.clear();
    cause = slot.limit_cause;
    stopping = stopping_;
  }
  changed_.notify_all();
  if (stopping) {
    // Shutdown: a unit still held keeps its claim until the lease runs out, and the next
    // server takes it over, as before worker processes.
    if (exit.signal != 0 || exit.exit_code != 0) {
      spdlog::info("worker slot {} ended ({})", slot.index, exit.describe());
    }
    return;
  }
  if (all_held.empty()) {
    spdlog::warn("worker slot {}: the worker ended unexpectedly ({}); starting a new one",
                 slot.index, exit.describe());
    return;
  }
  // The units that were working are the suspects; those waiting on a core or the model server
  // were interrupted, and are reopened without counting the attempt.
  std::vector<Held> blamed;
  for (auto& [thread, h] : all_held) {
    if (!h.waiting) blamed.push_back(std::move(h));
  }
  for (const auto& held : blamed) blame(held, exit, cause);
  if (blamed.size() < all_held.size()) {
    auto released = store_.release_claims(worker_id + ":");
    if (!released) {
      spdlog::error("worker slot {}: cannot reopen the units its worker held: {}", slot.index,
                    released.error().message);
    } else if (*released > 0) {
      spdlog::info("worker slot {}: {} units its worker was waiting on reopened", slot.index,
                   *released);
    }
  }
  if (options_.job_changes != nullptr) options_.job_changes->notify();
  notify_work();
}

void WorkerSupervisor::blame(const Held& held_unit, const ChildExit& exit, std::string cause) {
  const Held* held = &held_unit;
  bool retry = false;
  if (cause.empty() && exit.exit_code == kWorkerOutOfMemoryExit) {
    cause = fmt::format(
        "{} needed more than the worker memory limit of {} MiB "
        "(DOCMILL_WORKER_MEMORY_MB)",
        what_unit(held->claim), options_.memory_limit_bytes >> 20);
  } else if (cause.empty()) {
    cause = fmt::format("{} crashed the worker ({})", what_unit(held->claim), exit.describe());
    // Once more on a fresh worker: the crash may have come from state an earlier unit left.
    retry = !held->claim.previous_failure;
  }
  auto given_up = store_.abandon_unit(held->claim, held->worker_id, cause, retry);
  if (!given_up) {
    spdlog::error("job {}: {}; and it cannot be recorded: {}", held->claim.job_id, cause,
                  given_up.error().message);
    return;
  }
  if (!*given_up) return;  // deleted meanwhile, or already taken over
  if (retry) {
    spdlog::warn("job {}: {}; trying it once more on a fresh worker", held->claim.job_id, cause);
  } else {
    spdlog::warn("job {}: {}; {}", held->claim.job_id, cause,
                 held->claim.is_assembly() ? "the job failed" : "the page failed");
    // The worker died before it could report the page: it is counted here, timed from when it
    // last started working (the time it waited for a core or the model server is left out).
    if (!held->claim.is_assembly()) {
      metrics_.count_page(
          to_string(ReadMethod::kFailed), "failed",
          std::chrono::duration<double>(std::chrono::steady_clock::now() - held->since).count());
    }
  }
}

void WorkerSupervisor::broadcast(std::string_view line) {
  std::lock_guard lock(mu_);
  for (auto& slot : slots_) {
    if (slot->child) slot->child->send_line(line);
  }
}

void WorkerSupervisor::notify_work() {
  broadcast("work");
}

void WorkerSupervisor::cancel_job(std::string_view job_id) {
  std::unique_lock lock(mu_);
  for (auto& slot : slots_) {
    if (slot->child && slot->child->send_line(fmt::format("cancel {}", job_id))) {
      slot->awaiting_cancel.emplace(job_id);
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + options_.cancel_wait;
  for (auto& slot : slots_) {
    const auto confirmed = [&] { return !slot->awaiting_cancel.contains(job_id); };
    if (changed_.wait_until(lock, deadline, confirmed)) continue;
    spdlog::warn("worker slot {} did not stop job {} in time; stopping the worker", slot->index,
                 job_id);
    if (slot->child) slot->child->kill(SIGKILL);
    changed_.wait(lock, confirmed);  // its exit clears the set
  }
}

int WorkerSupervisor::ready_workers() const {
  std::lock_guard lock(mu_);
  int n = 0;
  for (const auto& slot : slots_) n += slot->ready;
  return n;
}

WorkerOccupancy WorkerSupervisor::occupancy() const {
  std::lock_guard lock(mu_);
  WorkerOccupancy o;
  for (const auto& slot : slots_) {
    const int held = static_cast<int>(slot->held.size());
    o.busy += held;
    // A worker still starting (or restarting) is neither: it cannot take a unit yet.
    if (slot->ready) o.idle += std::max(0, worker_options(slot->index).threads - held);
  }
  return o;
}

int WorkerSupervisor::wait_ready(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  changed_.wait_for(lock, timeout, [&] {
    for (const auto& slot : slots_) {
      if (slot->ready) return true;
    }
    return false;
  });
  lock.unlock();
  return ready_workers();
}

void WorkerSupervisor::stop(std::chrono::milliseconds grace) {
  if (!started_ || stopped_) return;
  stopped_ = true;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    // The worker stops its own units after the grace; this is for one that cannot.
    stop_deadline_ = std::chrono::steady_clock::now() + grace + options_.kill_after;
    for (auto& slot : slots_) {
      if (slot->child) slot->child->send_line(fmt::format("stop {}", grace.count()));
    }
  }
  changed_.notify_all();
  for (auto& slot : slots_) {
    if (slot->thread.joinable()) slot->thread.join();
  }
}

}  // namespace docmill
