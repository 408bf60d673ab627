#pragma once
// What the API needs of whoever runs the pages: wake it for new work, stop a deleted job's
// units, and say whether it can read pages. `serve` uses worker processes (WorkerSupervisor);
// the in-process WorkerPool is what each worker process runs inside.
#include <string_view>

namespace docmill {

// Worker threads with a unit, and ready ones without.
struct WorkerOccupancy {
  int busy = 0;
  int idle = 0;
};

class WorkControl {
 public:
  virtual ~WorkControl() = default;
  // New work was queued.
  virtual void notify_work() = 0;
  // Stops the job's running units and returns once none is left. Call after the job's rows
  // are deleted, so that no new unit of it can be claimed.
  virtual void cancel_job(std::string_view job_id) = 0;
  // Workers whose OCR engine has loaded the default languages.
  virtual int ready_workers() const = 0;
  virtual WorkerOccupancy occupancy() const = 0;
};

}  // namespace docmill
