#pragma once
// The units this process is working on, each with a stop source: what DELETE cancels, what the
// lease keeper renews, and what shutdown stops when its grace runs out.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "jobs/job.h"

namespace docmill {

// "job <id> page 3" or "job <id> assembly", for logs.
std::string describe_unit(const WorkClaim& claim);

class RunningUnits {
 public:
  // A registered unit; leaving scope unregisters it (and wakes a DELETE waiting for it).
  class Ticket {
   public:
    Ticket(Ticket&& other) noexcept;
    Ticket& operator=(Ticket&&) = delete;
    Ticket(const Ticket&) = delete;
    ~Ticket();

    const WorkClaim& claim() const { return claim_; }
    std::stop_token stop_token() const { return stop_.get_token(); }

   private:
    friend class RunningUnits;
    Ticket(RunningUnits* owner, std::uint64_t id, WorkClaim claim, std::stop_source stop)
        : owner_(owner), id_(id), claim_(std::move(claim)), stop_(std::move(stop)) {}

    RunningUnits* owner_;
    std::uint64_t id_;
    WorkClaim claim_;
    std::stop_source stop_;
  };

  struct Held {
    std::uint64_t id;
    WorkClaim claim;
    std::string worker_id;
  };

  using ClaimFn = std::function<Result<std::optional<WorkClaim>>()>;

  // Runs `claim_fn` (the store's claim) under this registry's lock and registers what it hands
  // out. Holding the lock across the claim closes the gap a DELETE could otherwise slip
  // through: a unit claimed before the job's rows were deleted is registered before
  // cancel_job_and_wait() can look, and none can be claimed after. nullopt once closed.
  Result<std::optional<Ticket>> claim(std::string_view worker_id, const ClaimFn& claim_fn);

  // Stops the job's running units and returns when none is left: nothing of this process is
  // inside the job any more.
  void cancel_job_and_wait(std::string_view job_id);

  // No more claims (shutdown has begun); running units go on.
  void close();
  // Stops every running unit (the shutdown grace ran out).
  void stop_all();
  // Stops one unit (its lease was lost).
  void stop_unit(std::uint64_t id);

  std::vector<Held> snapshot() const;
  int size() const;

 private:
  struct Entry {
    WorkClaim claim;
    std::string worker_id;
    std::stop_source stop;
  };
  void leave(std::uint64_t id);

  mutable std::mutex mu_;
  std::condition_variable left_;
  std::map<std::uint64_t, Entry> entries_;  // guarded by mu_
  std::uint64_t next_id_ = 1;               // guarded by mu_
  bool closed_ = false;                     // guarded by mu_
};

}  // namespace docmill
