#include "jobs/job.h"

namespace docmill {

std::string_view to_string(JobStatus s) {
  switch (s) {
    case JobStatus::kPending:
      return "pending";
    case JobStatus::kProcessing:
      return "processing";
    case JobStatus::kCompleted:
      return "completed";
    case JobStatus::kFailed:
      return "failed";
  }
  return "failed";
}

std::optional<JobStatus> parse_job_status(std::string_view s) {
  for (auto st :
       {JobStatus::kPending, JobStatus::kProcessing, JobStatus::kCompleted, JobStatus::kFailed}) {
    if (to_string(st) == s) return st;
  }
  return std::nullopt;
}

std::string_view to_string(Priority p) {
  switch (p) {
    case Priority::kLow:
      return "low";
    case Priority::kNormal:
      return "normal";
    case Priority::kHigh:
      return "high";
  }
  return "normal";
}

std::optional<Priority> parse_priority(std::string_view s) {
  for (auto p : {Priority::kLow, Priority::kNormal, Priority::kHigh}) {
    if (to_string(p) == s) return p;
  }
  return std::nullopt;
}

std::string_view to_string(DeliveryState s) {
  switch (s) {
    case DeliveryState::kPending:
      return "pending";
    case DeliveryState::kDelivered:
      return "delivered";
    case DeliveryState::kGivenUp:
      return "given_up";
  }
  return "pending";
}

std::optional<DeliveryState> parse_delivery_state(std::string_view s) {
  for (auto d : {DeliveryState::kPending, DeliveryState::kDelivered, DeliveryState::kGivenUp}) {
    if (to_string(d) == s) return d;
  }
  return std::nullopt;
}

}  // namespace docmill
