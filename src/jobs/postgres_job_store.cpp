#include "jobs/postgres_job_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/clock.h"
#include "core/stop_wait.h"
#include "jobs/postgres_schema.h"
#include "jobs/queue_pace.h"

namespace docmill {
namespace {

using pg::Params;
using pg::Rows;

// Claimers LISTEN on this channel; a change that makes a unit claimable NOTIFYs it (delivered
// when its transaction commits).
constexpr std::string_view kWorkChannel = "docmill_work";
// How often the listener looks up from its wait to see whether it should stop.
constexpr std::chrono::milliseconds kListenPoll{250};

// A transaction that keeps losing deadlocks is given up after this many runs.
constexpr int kConflictRuns = 5;

// The pace of /status looks at the pages done in the last ten minutes.
constexpr long long kPaceWindowMs = 600'000;

constexpr std::string_view kSelectJob =
    "SELECT job_id, status, created_at, updated_at, error_message, filename, total_pages, "
    "processed_pages, lang, dpi, force_ocr, engine, priority, ocr_existing, callback_url "
    "FROM tasks ";

constexpr std::string_view kSelectDelivery =
    "SELECT id, job_id, url, body, attempts, next_attempt_ms, state, last_error "
    "FROM webhook_deliveries ";

// The same order as the SQLite store's claim (sqlite_job_store.cpp says why each key):
// priority rank, the fewest units in flight, the fewest pages served, the oldest; its pages in
// order, the assembly unit only once no page of its job is left. SKIP LOCKED passes over the
// units other transactions are claiming or completing right now, instead of waiting for them.
constexpr std::string_view kPickUnit = R"sql(
SELECT u.job_id, u.page_index, u.attempts, t.status, t.lang, t.dpi, t.force_ocr, u.error,
  t.engine, t.ocr_existing
FROM tasks t JOIN work_units u ON u.job_id = t.job_id
WHERE t.status IN ('pending', 'processing')
  AND (u.state = 'open' OR (u.state = 'claimed' AND u.lease_expires_ms < $1))
  AND (u.page_index >= 0 OR NOT EXISTS (
         SELECT 1 FROM work_units p
         WHERE p.job_id = u.job_id AND p.page_index >= 0 AND p.state <> 'done'))
ORDER BY t.rank DESC, t.in_flight ASC, t.served ASC, t.seq ASC, u.page_index ASC
LIMIT 1
FOR UPDATE OF u SKIP LOCKED
)sql";

Result<Job> read_job(const Rows& rows, int r) {
  Job job;
  job.job_id = rows.text(r, 0);
  const std::string status = rows.text(r, 1);
  const auto parsed = parse_job_status(status);
  if (!parsed) {
    return fail(ErrorCode::kDatabase,
                fmt::format("job {} has an unknown status '{}'", job.job_id, status));
  }
  job.status = *parsed;
  job.created_at = rows.text(r, 2);
  job.updated_at = rows.text(r, 3);
  job.error_message = rows.optional_text(r, 4);
  job.filename = rows.text(r, 5);
  job.total_pages = rows.int_at(r, 6);
  job.processed_pages = rows.int_at(r, 7);
  job.options.lang = rows.text(r, 8);
  job.options.dpi = rows.int_at(r, 9);
  job.options.force_ocr = rows.int_at(r, 10) != 0;
  job.options.engine = parse_engine_kind(rows.text(r, 11)).value_or(EngineKind::kTesseract);
  job.priority = parse_priority(rows.text(r, 12)).value_or(Priority::kNormal);
  job.options.ocr_existing = parse_ocr_existing(rows.text(r, 13)).value_or(OcrExisting::kAuto);
  job.callback_url = rows.optional_text(r, 14);
  return job;
}

Result<std::vector<Job>> read_jobs(const Rows& rows) {
  std::vector<Job> jobs;
  for (int r = 0; r < rows.size(); ++r) {
    auto job = read_job(rows, r);
    if (!job) return std::unexpected(std::move(job.error()));
    jobs.push_back(std::move(*job));
  }
  return jobs;
}

std::vector<WebhookDelivery> read_deliveries(const Rows& rows) {
  std::vector<WebhookDelivery> out;
  for (int r = 0; r < rows.size(); ++r) {
    WebhookDelivery d;
    d.id = rows.int64_at(r, 0);
    d.job_id = rows.text(r, 1);
    d.url = rows.text(r, 2);
    d.body = rows.optional_text(r, 3);
    d.attempts = rows.int_at(r, 4);
    d.next_attempt_ms = rows.int64_at(r, 5);
    d.state = parse_delivery_state(rows.text(r, 6)).value_or(DeliveryState::kPending);
    d.last_error = rows.optional_text(r, 7);
    out.push_back(std::move(d));
  }
  return out;
}

// Runs a statement for its effect; how many rows it changed.
Result<int> run(pg::Connection& conn, std::string_view sql, const Params& params = Params()) {
  auto rows = conn.exec(sql, params);
  if (!rows) return std::unexpected(std::move(rows.error()));
  return rows->affected();
}

// The first column of the first row of a query that always returns one.
Result<long long> query_int(pg::Connection& conn, std::string_view sql,
                            const Params& params = Params()) {
  auto rows = conn.exec(sql, params);
  if (!rows) return std::unexpected(std::move(rows.error()));
  if (rows->size() == 0) return fail(ErrorCode::kDatabase, "a one-row query returned none");
  return rows->int64_at(0, 0);
}

int rank_of(Priority p) {
  return static_cast<int>(p);
}

// Keeps the claim's fair-share keys of a job current (in_flight: its claimed page units;
// served: its pages done, -1 once all are). The job's row is locked first, in its own
// statement: the count that follows then starts after every other transaction that changed
// the job's units has committed, and counts their changes too. Every transaction locks a
// job's units before its row, so this order cannot deadlock with another.
Status refresh_in_flight(pg::Connection& conn, std::string_view job_id) {
  if (auto locked = conn.exec("SELECT 1 FROM tasks WHERE job_id = $1 FOR UPDATE", Params(job_id));
      !locked) {
    return std::unexpected(std::move(locked.error()));
  }
  auto changed = run(conn,
                     "UPDATE tasks SET in_flight = (SELECT COUNT(*) FROM work_units "
                     "WHERE job_id = $1 AND page_index >= 0 AND state = 'claimed'), "
                     "served = CASE WHEN processed_pages >= total_pages THEN -1 "
                     "ELSE processed_pages END WHERE job_id = $1",
                     Params(job_id));
  if (!changed) return std::unexpected(std::move(changed.error()));
  return {};
}

// Wakes the claimers of every process: a unit became claimable.
Status announce_work(pg::Connection& conn) {
  auto sent = conn.exec("SELECT pg_notify($1, '')", Params(kWorkChannel));
  if (!sent) return std::unexpected(std::move(sent.error()));
  return {};
}

// The job has just ended: its webhook, when it has a callback_url, is due now.
Status enqueue_webhook(pg::Connection& conn, std::string_view job_id) {
  auto added = run(conn,
                   "INSERT INTO webhook_deliveries (job_id, url, next_attempt_ms) "
                   "SELECT job_id, callback_url, $2 FROM tasks "
                   "WHERE job_id = $1 AND callback_url IS NOT NULL ON CONFLICT (job_id) DO NOTHING",
                   Params(job_id, now_unix_ms()));
  if (!added) return std::unexpected(std::move(added.error()));
  return {};
}

struct Candidate {
  std::string job_id;
  int page_index = 0;
  int attempts = 0;
  JobStatus status = JobStatus::kPending;
  JobOptions options;
  std::optional<std::string> previous_failure;
};

Candidate read_candidate(const Rows& rows) {
  Candidate c;
  c.job_id = rows.text(0, 0);
  c.page_index = rows.int_at(0, 1);
  c.attempts = rows.int_at(0, 2);
  c.status = parse_job_status(rows.text(0, 3)).value_or(JobStatus::kProcessing);
  c.options.lang = rows.text(0, 4);
  c.options.dpi = rows.int_at(0, 5);
  c.options.force_ocr = rows.int_at(0, 6) != 0;
  c.previous_failure = rows.optional_text(0, 7);
  c.options.engine = parse_engine_kind(rows.text(0, 8)).value_or(EngineKind::kTesseract);
  c.options.ocr_existing = parse_ocr_existing(rows.text(0, 9)).value_or(OcrExisting::kAuto);
  return c;
}

// A page handed out max_attempts times without being completed kills its worker: it is
// recorded as failed so the rest of the job can finish (as in the SQLite store).
Status give_up_page(pg::Connection& conn, const Candidate& c) {
  const std::string error = fmt::format(
      "page {} stopped the worker {} times (the process crashed or was killed while reading "
      "it); skipped",
      c.page_index + 1, c.attempts);
  auto unit = run(conn,
                  "UPDATE work_units SET state = 'done', worker_id = NULL, error = $1 "
                  "WHERE job_id = $2 AND page_index = $3",
                  Params(error, c.job_id, c.page_index));
  if (!unit) return std::unexpected(std::move(unit.error()));
  auto task = run(conn,
                  "UPDATE tasks SET processed_pages = processed_pages + 1, updated_at = $1 "
                  "WHERE job_id = $2",
                  Params(now_iso8601(), c.job_id));
  if (!task) return std::unexpected(std::move(task.error()));
  return refresh_in_flight(conn, c.job_id);
}

// The same for assembly: with no output to salvage, the job fails.
Status give_up_job(pg::Connection& conn, const Candidate& c) {
  auto unit = run(conn,
                  "UPDATE work_units SET state = 'done', worker_id = NULL "
                  "WHERE job_id = $1 AND page_index = $2",
                  Params(c.job_id, kAssembleUnit));
  if (!unit) return std::unexpected(std::move(unit.error()));
  auto task = run(conn,
                  "UPDATE tasks SET status = 'failed', error_message = $1, updated_at = $2 "
                  "WHERE job_id = $3",
                  Params(fmt::format("assembling the outputs failed {} times", c.attempts),
                         now_iso8601(), c.job_id));
  if (!task) return std::unexpected(std::move(task.error()));
  return enqueue_webhook(conn, c.job_id);
}

// QueueStanding::own_seconds_per_page (queue_pace.h) from this database.
Result<std::optional<double>> own_pace(pg::Connection& conn, std::string_view job_id,
                                       std::string_view engine, long long since_ms,
                                       double server_pace) {
  auto by_method = conn.exec(
      "SELECT method, AVG(page_ms), COUNT(*) FROM work_units WHERE finished_ms >= $1 AND "
      "method IS NOT NULL AND page_ms IS NOT NULL GROUP BY method",
      Params(since_ms));
  if (!by_method) return std::unexpected(std::move(by_method.error()));
  std::map<std::string, MethodPace> recent;
  for (int r = 0; r < by_method->size(); ++r) {
    recent[by_method->text(r, 0)] = {by_method->double_at(r, 1), by_method->int64_at(r, 2)};
  }
  auto mix = conn.exec(
      "SELECT method, COUNT(*) FROM work_units WHERE job_id = $1 AND state = 'done' AND "
      "method IS NOT NULL GROUP BY method",
      Params(job_id));
  if (!mix) return std::unexpected(std::move(mix.error()));
  std::map<std::string, long long> own;
  for (int r = 0; r < mix->size(); ++r) own[mix->text(r, 0)] = mix->int64_at(r, 1);
  return own_seconds_per_page(recent, std::move(own), engine, server_pace);
}

}  // namespace

PostgresJobStore::PostgresJobStore(const std::string& url)
    : url_(url), where_(pg::redacted(url)), pool_(url, kPoolSize) {}

void PostgresJobStore::watch_for_work(const std::function<void()>& on_work, std::stop_token stop) {
  auto backoff = std::chrono::milliseconds(100);
  while (!stop.stop_requested()) {
    auto conn = pg::Connection::open(url_);
    if (conn) {
      if (auto listening = conn->exec_simple(fmt::format("LISTEN {}", kWorkChannel).c_str());
          listening) {
        backoff = std::chrono::milliseconds(100);
        // Whatever was queued while this connection was down is found by the claim's poll.
        for (;;) {
          if (stop.stop_requested()) return;
          auto woke = conn->wait_notification(kListenPoll);
          if (!woke) break;
          if (*woke) on_work();
        }
      }
    }
    wait_unless_stopped(stop, backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(5'000));
  }
}

Result<std::unique_ptr<PostgresJobStore>> PostgresJobStore::open(const std::string& url) {
  std::unique_ptr<PostgresJobStore> store(new PostgresJobStore(url));
  auto conn = store->pool_.acquire();
  if (!conn) {
    return fail(ErrorCode::kDatabase,
                fmt::format("job database {}: {}", store->where_, conn.error().message));
  }
  if (auto migrated = migrate_postgres(**conn); !migrated) {
    return fail(ErrorCode::kDatabase,
                fmt::format("job database {}: {}", store->where_, migrated.error().message));
  }
  return store;
}

template <class F>
std::invoke_result_t<F&, pg::Connection&> PostgresJobStore::transaction(std::string_view action,
                                                                        F&& body) {
  const auto failed = [&](const Error& e, std::string_view note = {}) {
    return fail(e.code, e.code == ErrorCode::kDatabase
                            ? fmt::format("job database {}: cannot {}: {}{}", where_, action,
                                          e.message, note)
                            : e.message);
  };
  bool reconnected = false;
  for (int run = 1;; ++run) {
    auto lease = pool_.acquire();
    if (!lease) return failed(lease.error());
    pg::Connection& conn = **lease;
    // Whether what just failed may run again from the start: a lost deadlock (rolled back by
    // the server), or a dropped connection (nothing of it was committed), once.
    const auto again = [&](pg::FailureKind kind) {
      if (kind == pg::FailureKind::kConflict) return run < kConflictRuns;
      if (kind == pg::FailureKind::kConnectionLost && !reconnected) {
        reconnected = true;
        return true;
      }
      return false;
    };
    if (auto begun = conn.exec_simple("BEGIN"); !begun) {
      if (again(conn.failure_kind())) continue;
      return failed(begun.error());
    }
    auto result = body(conn);
    if (!result) {
      const auto kind = conn.failure_kind();
      if (!conn.broken()) (void)conn.exec_simple("ROLLBACK");
      if (again(kind)) continue;
      return failed(result.error());
    }
    if (auto committed = conn.exec_simple("COMMIT"); !committed) {
      const auto kind = conn.failure_kind();
      if (kind == pg::FailureKind::kConflict && run < kConflictRuns) continue;
      if (kind == pg::FailureKind::kConnectionLost) {
        return failed(committed.error(),
                      " (the connection dropped while committing: whether the change was made "
                      "is unknown)");
      }
      return failed(committed.error());
    }
    return result;
  }
}

Status PostgresJobStore::create_job(const Job& job, std::span<const int> page_indices) {
  for (int index : page_indices) {
    if (index < 0) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("job {}: page index {} is negative", job.job_id, index));
    }
  }
  return transaction(fmt::format("create job {}", job.job_id), [&](pg::Connection& c) -> Status {
    const std::string now = now_iso8601();
    const std::string created_at = job.created_at.empty() ? now : job.created_at;
    auto task = run(
        c,
        "INSERT INTO tasks (job_id, status, created_at, updated_at, error_message, filename, "
        "total_pages, processed_pages, lang, dpi, force_ocr, engine, priority, rank, in_flight, "
        "queued_ms, ocr_existing, callback_url) "
        "VALUES ($1, 'pending', $2, $3, NULL, $4, $5, 0, $6, $7, $8, $9, $10, $11, 0, $12, $13, "
        "$14)",
        Params(job.job_id, created_at, now, job.filename, job.total_pages, job.options.lang,
               job.options.dpi, job.options.force_ocr, to_string(job.options.engine),
               to_string(job.priority), rank_of(job.priority), now_unix_ms(),
               to_string(job.options.ocr_existing), job.callback_url));
    if (!task) return std::unexpected(std::move(task.error()));
    // All units in one statement: a 2,000-page job is one round trip, not 2,001.
    std::string indices = fmt::format("{{{}", kAssembleUnit);
    for (int index : page_indices) indices += fmt::format(",{}", index);
    indices += '}';
    auto units = run(c,
                     "INSERT INTO work_units (job_id, page_index, state, attempts) "
                     "SELECT $1, i, 'open', 0 FROM unnest($2::integer[]) AS i",
                     Params(job.job_id, indices));
    if (!units) return std::unexpected(std::move(units.error()));
    return announce_work(c);
  });
}

Result<std::optional<Job>> PostgresJobStore::get_job(std::string_view job_id) {
  return transaction(
      fmt::format("read job {}", job_id), [&](pg::Connection& c) -> Result<std::optional<Job>> {
        auto rows = c.exec(fmt::format("{} WHERE job_id = $1", kSelectJob), Params(job_id));
        if (!rows) return std::unexpected(std::move(rows.error()));
        auto jobs = read_jobs(*rows);
        if (!jobs) return std::unexpected(std::move(jobs.error()));
        if (jobs->empty()) return std::nullopt;
        return std::move(jobs->front());
      });
}

Result<std::vector<Job>> PostgresJobStore::list_jobs(std::optional<JobStatus> status) {
  return transaction("list jobs", [&](pg::Connection& c) -> Result<std::vector<Job>> {
    auto rows = status ? c.exec(fmt::format("{} WHERE status = $1 ORDER BY seq DESC", kSelectJob),
                                Params(to_string(*status)))
                       : c.exec(fmt::format("{} ORDER BY seq DESC", kSelectJob));
    if (!rows) return std::unexpected(std::move(rows.error()));
    return read_jobs(*rows);
  });
}

Result<int> PostgresJobStore::count_unfinished_jobs() {
  return transaction("count unfinished jobs", [&](pg::Connection& c) -> Result<int> {
    auto n = query_int(c, "SELECT COUNT(*) FROM tasks WHERE status IN ('pending', 'processing')");
    if (!n) return std::unexpected(std::move(n.error()));
    return static_cast<int>(*n);
  });
}

Result<StoreCounts> PostgresJobStore::counts() {
  return transaction("count jobs and queued units", [&](pg::Connection& c) -> Result<StoreCounts> {
    StoreCounts out;
    for (const auto s :
         {JobStatus::kPending, JobStatus::kProcessing, JobStatus::kCompleted, JobStatus::kFailed}) {
      out.jobs[s] = 0;
    }
    auto rows = c.exec("SELECT status, COUNT(*) FROM tasks GROUP BY status");
    if (!rows) return std::unexpected(std::move(rows.error()));
    for (int r = 0; r < rows->size(); ++r) {
      if (const auto status = parse_job_status(rows->text(r, 0))) {
        out.jobs[*status] = rows->int_at(r, 1);
      }
    }
    auto open = query_int(c, "SELECT COUNT(*) FROM work_units WHERE state = 'open'");
    if (!open) return std::unexpected(std::move(open.error()));
    out.open_units = static_cast<int>(*open);
    return out;
  });
}

Status PostgresJobStore::check_writable() {
  return transaction("write", [&](pg::Connection& c) -> Status {
    auto wrote = run(c,
                     "INSERT INTO write_check (id, checked_ms) VALUES (1, $1) "
                     "ON CONFLICT (id) DO UPDATE SET checked_ms = EXCLUDED.checked_ms",
                     Params(now_unix_ms()));
    if (!wrote) return std::unexpected(std::move(wrote.error()));
    return {};
  });
}

Result<std::optional<WorkClaim>> PostgresJobStore::claim_next(std::string_view worker_id,
                                                              std::chrono::milliseconds lease,
                                                              int max_attempts) {
  if (max_attempts < 1) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("max_attempts must be at least 1, not {}", max_attempts));
  }
  if (lease.count() < 0) {
    return fail(ErrorCode::kInvalidArgument, "the lease must not be negative");
  }
  return transaction("claim work", [&](pg::Connection& c) -> Result<std::optional<WorkClaim>> {
    // Each pass hands out a unit or closes one tried too often, so the loop ends.
    for (;;) {
      const long long now_ms = now_unix_ms();
      auto picked = c.exec(kPickUnit, Params(now_ms));
      if (!picked) return std::unexpected(std::move(picked.error()));
      if (picked->size() == 0) return std::nullopt;
      const Candidate cand = read_candidate(*picked);
      const int attempt = cand.attempts + 1;
      if (attempt > max_attempts) {
        auto s = cand.page_index == kAssembleUnit ? give_up_job(c, cand) : give_up_page(c, cand);
        if (!s) return std::unexpected(std::move(s.error()));
        continue;
      }
      auto unit = run(c,
                      "UPDATE work_units SET state = 'claimed', worker_id = $1, "
                      "lease_expires_ms = $2, attempts = $3 WHERE job_id = $4 AND page_index = $5",
                      Params(worker_id, now_ms + static_cast<long long>(lease.count()), attempt,
                             cand.job_id, cand.page_index));
      if (!unit) return std::unexpected(std::move(unit.error()));
      if (auto s = refresh_in_flight(c, cand.job_id); !s) return std::unexpected(s.error());
      if (cand.status == JobStatus::kPending) {
        auto task = run(c,
                        "UPDATE tasks SET status = 'processing', updated_at = $1 "
                        "WHERE job_id = $2 AND status = 'pending'",
                        Params(now_iso8601(), cand.job_id));
        if (!task) return std::unexpected(std::move(task.error()));
      }
      return WorkClaim{.job_id = cand.job_id,
                       .page_index = cand.page_index,
                       .attempt = attempt,
                       .options = cand.options,
                       .previous_failure = cand.previous_failure};
    }
  });
}

// Matching the attempt as well as the worker makes the claim a fencing token (see the SQLite
// store).
Result<bool> PostgresJobStore::renew_lease(const WorkClaim& claim, std::string_view worker_id,
                                           std::chrono::milliseconds lease) {
  return transaction(fmt::format("renew the lease on job {}", claim.job_id),
                     [&](pg::Connection& c) -> Result<bool> {
                       auto changed =
                           run(c,
                               "UPDATE work_units SET lease_expires_ms = $1 WHERE job_id = $2 AND "
                               "page_index = $3 AND state = 'claimed' AND worker_id = $4 AND "
                               "attempts = $5",
                               Params(now_unix_ms() + static_cast<long long>(lease.count()),
                                      claim.job_id, claim.page_index, worker_id, claim.attempt));
                       if (!changed) return std::unexpected(std::move(changed.error()));
                       return *changed > 0;
                     });
}

Result<PageOutcome> PostgresJobStore::complete_page(const WorkClaim& claim,
                                                    std::string_view worker_id,
                                                    std::optional<std::string> page_error,
                                                    const PageCost& cost) {
  if (claim.is_assembly()) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("job {}: the assembly unit is closed by finish_job, not complete_page",
                            claim.job_id));
  }
  return transaction(
      fmt::format("record page {} of job {}", claim.page_index + 1, claim.job_id),
      [&](pg::Connection& c) -> Result<PageOutcome> {
        auto unit = run(c,
                        "UPDATE work_units SET state = 'done', worker_id = NULL, error = $1, "
                        "finished_ms = $6, method = NULLIF($7, ''), page_ms = $8 "
                        "WHERE job_id = $2 AND page_index = $3 AND state = 'claimed' "
                        "AND worker_id = $4 AND attempts = $5",
                        Params(page_error, claim.job_id, claim.page_index, worker_id, claim.attempt,
                               now_unix_ms(), cost.method, cost.millis));
        if (!unit) return std::unexpected(std::move(unit.error()));
        // No row: the job was deleted (its units went with it) or the lease was lost.
        if (*unit == 0) return PageOutcome::kJobGone;
        auto task = run(c,
                        "UPDATE tasks SET processed_pages = processed_pages + 1, updated_at = $1 "
                        "WHERE job_id = $2",
                        Params(now_iso8601(), claim.job_id));
        if (!task) return std::unexpected(std::move(task.error()));
        if (auto s = refresh_in_flight(c, claim.job_id); !s) return std::unexpected(s.error());
        auto left = query_int(c,
                              "SELECT COUNT(*) FROM work_units WHERE job_id = $1 "
                              "AND page_index >= 0 AND state <> 'done'",
                              Params(claim.job_id));
        if (!left) return std::unexpected(std::move(left.error()));
        if (*left > 0) return PageOutcome::kRecorded;
        if (auto s = announce_work(c); !s) return std::unexpected(s.error());  // the assembly
        return PageOutcome::kLastPage;
      });
}

Result<bool> PostgresJobStore::abandon_unit(const WorkClaim& claim, std::string_view worker_id,
                                            std::string_view cause, bool retry) {
  const std::string action =
      claim.is_assembly()
          ? fmt::format("give up assembling job {}", claim.job_id)
          : fmt::format("give up page {} of job {}", claim.page_index + 1, claim.job_id);
  return transaction(action, [&](pg::Connection& c) -> Result<bool> {
    auto unit = run(c,
                    "UPDATE work_units SET state = $1, worker_id = NULL, lease_expires_ms = 0, "
                    "error = $2 WHERE job_id = $3 AND page_index = $4 AND state = 'claimed' "
                    "AND worker_id = $5 AND attempts = $6",
                    Params(retry ? "open" : "done", cause, claim.job_id, claim.page_index,
                           worker_id, claim.attempt));
    if (!unit) return std::unexpected(std::move(unit.error()));
    if (*unit == 0) return false;
    if (!retry) {
      auto task = claim.is_assembly()
                      ? run(c,
                            "UPDATE tasks SET status = 'failed', error_message = $1, "
                            "updated_at = $2 WHERE job_id = $3",
                            Params(cause, now_iso8601(), claim.job_id))
                      : run(c,
                            "UPDATE tasks SET processed_pages = processed_pages + 1, "
                            "updated_at = $1 WHERE job_id = $2",
                            Params(now_iso8601(), claim.job_id));
      if (!task) return std::unexpected(std::move(task.error()));
      if (claim.is_assembly()) {
        if (auto s = enqueue_webhook(c, claim.job_id); !s) return std::unexpected(s.error());
      }
    }
    if (auto s = refresh_in_flight(c, claim.job_id); !s) return std::unexpected(s.error());
    if (retry) {
      if (auto s = announce_work(c); !s) return std::unexpected(s.error());
    }
    return true;
  });
}

Result<int> PostgresJobStore::promote_starved(std::chrono::milliseconds waited) {
  return transaction("promote jobs that waited too long", [&](pg::Connection& c) -> Result<int> {
    return run(
        c,
        "UPDATE tasks SET rank = $1 WHERE rank < $1 AND status IN ('pending', "
        "'processing') AND queued_ms < $2",
        Params(rank_of(Priority::kNormal), now_unix_ms() - static_cast<long long>(waited.count())));
  });
}

Result<QueueStanding> PostgresJobStore::queue_standing(std::string_view job_id) {
  return transaction(
      fmt::format("read where job {} stands", job_id),
      [&](pg::Connection& c) -> Result<QueueStanding> {
        auto me =
            c.exec("SELECT status, rank, seq, engine FROM tasks WHERE job_id = $1", Params(job_id));
        if (!me) return std::unexpected(std::move(me.error()));
        if (me->size() == 0) return fail(ErrorCode::kNotFound, fmt::format("no job {}", job_id));
        const auto status = parse_job_status(me->text(0, 0)).value_or(JobStatus::kPending);
        const int rank = me->int_at(0, 1);
        const long long seq = me->int64_at(0, 2);
        const std::string engine = me->text(0, 3);
        QueueStanding standing;
        if (status == JobStatus::kCompleted || status == JobStatus::kFailed) return standing;
        auto ahead = c.exec(
            "SELECT COUNT(*) FILTER (WHERE status = 'pending'), "
            "COALESCE(SUM(total_pages - processed_pages), 0) FROM tasks "
            "WHERE status IN ('pending', 'processing') AND (rank > $1 OR (rank = $1 AND seq < $2))",
            Params(rank, seq));
        if (!ahead) return std::unexpected(std::move(ahead.error()));
        if (status == JobStatus::kPending) standing.queue_position = ahead->int_at(0, 0);
        standing.pages_ahead = ahead->int_at(0, 1);
        auto running =
            query_int(c, "SELECT COUNT(*) FROM tasks WHERE status = 'processing' AND rank >= $1",
                      Params(rank));
        if (!running) return std::unexpected(std::move(running.error()));
        standing.running_alongside = static_cast<int>(*running);
        const long long since = now_unix_ms() - kPaceWindowMs;
        auto pace = c.exec(
            "SELECT COUNT(*), MIN(finished_ms), MAX(finished_ms) FROM work_units "
            "WHERE finished_ms >= $1",
            Params(since));
        if (!pace) return std::unexpected(std::move(pace.error()));
        const int done = pace->int_at(0, 0);
        if (done >= 2) {
          const double span_ms = static_cast<double>(pace->int64_at(0, 2) - pace->int64_at(0, 1));
          if (span_ms > 0) standing.seconds_per_page = span_ms / 1000.0 / (done - 1);
        }
        if (standing.seconds_per_page) {
          auto own = own_pace(c, job_id, engine, since, *standing.seconds_per_page);
          if (!own) return std::unexpected(std::move(own.error()));
          standing.own_seconds_per_page = *own;
        }
        return standing;
      });
}

Result<bool> PostgresJobStore::defer_unit(const WorkClaim& claim, std::string_view worker_id,
                                          std::chrono::milliseconds delay) {
  return transaction(fmt::format("put off a unit of job {}", claim.job_id),
                     [&](pg::Connection& c) -> Result<bool> {
                       // Claimed by no worker, with a lease that runs out after the delay.
                       auto unit =
                           run(c,
                               "UPDATE work_units SET worker_id = '', lease_expires_ms = $1, "
                               "attempts = GREATEST(attempts - 1, 0) WHERE job_id = $2 AND "
                               "page_index = $3 AND state = 'claimed' AND worker_id = $4 AND "
                               "attempts = $5",
                               Params(now_unix_ms() + static_cast<long long>(delay.count()),
                                      claim.job_id, claim.page_index, worker_id, claim.attempt));
                       if (!unit) return std::unexpected(std::move(unit.error()));
                       return *unit > 0;
                     });
}

Result<int> PostgresJobStore::release_claims(std::string_view worker_prefix) {
  return transaction("reopen the units of a stopped server", [&](pg::Connection& c) -> Result<int> {
    // left() rather than LIKE: worker ids may hold '_' and '%'. The jobs whose units changed
    // have their in-flight counts redone, each locked as refresh_in_flight does.
    auto changed = c.exec(
        "UPDATE work_units SET state = 'open', worker_id = NULL, lease_expires_ms = 0, "
        "attempts = GREATEST(attempts - 1, 0) "
        "WHERE state = 'claimed' AND left(worker_id, $1) = $2 RETURNING job_id",
        Params(static_cast<int>(worker_prefix.size()), worker_prefix));
    if (!changed) return std::unexpected(std::move(changed.error()));
    std::vector<std::string> jobs;
    for (int r = 0; r < changed->size(); ++r) jobs.push_back(changed->text(r, 0));
    std::sort(jobs.begin(), jobs.end());
    jobs.erase(std::unique(jobs.begin(), jobs.end()), jobs.end());
    for (const auto& job : jobs) {
      if (auto s = refresh_in_flight(c, job); !s) return std::unexpected(s.error());
    }
    if (!jobs.empty()) {
      if (auto s = announce_work(c); !s) return std::unexpected(s.error());
    }
    return changed->size();
  });
}

Result<std::vector<std::pair<int, std::string>>> PostgresJobStore::page_errors(
    std::string_view job_id) {
  using Errors = std::vector<std::pair<int, std::string>>;
  return transaction(fmt::format("read the page errors of job {}", job_id),
                     [&](pg::Connection& c) -> Result<Errors> {
                       auto rows = c.exec(
                           "SELECT page_index, error FROM work_units WHERE job_id = $1 AND "
                           "page_index >= 0 AND error IS NOT NULL ORDER BY page_index",
                           Params(job_id));
                       if (!rows) return std::unexpected(std::move(rows.error()));
                       Errors errors;
                       for (int r = 0; r < rows->size(); ++r) {
                         errors.emplace_back(rows->int_at(r, 0), rows->text(r, 1));
                       }
                       return errors;
                     });
}

Status PostgresJobStore::finish_job(std::string_view job_id, JobStatus final_status,
                                    std::optional<std::string> error_message) {
  if (final_status != JobStatus::kCompleted && final_status != JobStatus::kFailed) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("job {}: a job ends completed or failed, not {}", job_id,
                            to_string(final_status)));
  }
  return transaction(fmt::format("finish job {}", job_id), [&](pg::Connection& c) -> Status {
    // The unit before the job's row: the order every transaction locks them in.
    auto unit = run(c,
                    "UPDATE work_units SET state = 'done', worker_id = NULL "
                    "WHERE job_id = $1 AND page_index = $2",
                    Params(job_id, kAssembleUnit));
    if (!unit) return std::unexpected(std::move(unit.error()));
    auto task = run(c,
                    "UPDATE tasks SET status = $1, error_message = $2, updated_at = $3 "
                    "WHERE job_id = $4",
                    Params(to_string(final_status), error_message, now_iso8601(), job_id));
    if (!task) return std::unexpected(std::move(task.error()));
    if (*task == 0) {
      return fail(ErrorCode::kNotFound, fmt::format("job {} no longer exists", job_id));
    }
    return enqueue_webhook(c, job_id);
  });
}

Result<bool> PostgresJobStore::delete_job(std::string_view job_id) {
  return transaction(fmt::format("delete job {}", job_id), [&](pg::Connection& c) -> Result<bool> {
    // The units first (waiting for a claim or completion holding one), then the row and,
    // by the cascade, the units: the order every transaction locks them in.
    if (auto locked =
            c.exec("SELECT 1 FROM work_units WHERE job_id = $1 FOR UPDATE", Params(job_id));
        !locked) {
      return std::unexpected(std::move(locked.error()));
    }
    auto deleted = run(c, "DELETE FROM tasks WHERE job_id = $1", Params(job_id));
    if (!deleted) return std::unexpected(std::move(deleted.error()));
    return *deleted > 0;
  });
}

Result<std::vector<WebhookDelivery>> PostgresJobStore::due_deliveries(
    long long now_ms, int limit, std::chrono::milliseconds hold) {
  using Deliveries = std::vector<WebhookDelivery>;
  return transaction("read the webhooks due", [&](pg::Connection& c) -> Result<Deliveries> {
    // SKIP LOCKED: another node's sender taking its batch right now is passed over, not waited
    // for.
    auto rows = c.exec(fmt::format("{} WHERE state = 'pending' AND next_attempt_ms <= $1 "
                                   "ORDER BY next_attempt_ms, id LIMIT $2 FOR UPDATE SKIP LOCKED",
                                   kSelectDelivery),
                       Params(now_ms, std::max(0, limit)));
    if (!rows) return std::unexpected(std::move(rows.error()));
    Deliveries due = read_deliveries(*rows);
    if (hold.count() > 0) {
      for (const auto& d : due) {
        auto held = run(c, "UPDATE webhook_deliveries SET next_attempt_ms = $1 WHERE id = $2",
                        Params(now_ms + static_cast<long long>(hold.count()), d.id));
        if (!held) return std::unexpected(std::move(held.error()));
      }
    }
    return due;
  });
}

Result<bool> PostgresJobStore::record_delivery_attempt(long long delivery_id,
                                                       const DeliveryAttempt& attempt) {
  const DeliveryState state = !attempt.error        ? DeliveryState::kDelivered
                              : attempt.retry_at_ms ? DeliveryState::kPending
                                                    : DeliveryState::kGivenUp;
  return transaction(fmt::format("record webhook delivery {}", delivery_id),
                     [&](pg::Connection& c) -> Result<bool> {
                       auto changed = run(
                           c,
                           "UPDATE webhook_deliveries SET attempts = attempts + 1, state = $1, "
                           "last_error = $2, next_attempt_ms = $3, body = COALESCE(body, $4) "
                           "WHERE id = $5",
                           Params(to_string(state), attempt.error,
                                  attempt.retry_at_ms.value_or(0LL), attempt.body, delivery_id));
                       if (!changed) return std::unexpected(std::move(changed.error()));
                       return *changed > 0;
                     });
}

Result<std::vector<WebhookDelivery>> PostgresJobStore::job_deliveries(std::string_view job_id) {
  using Deliveries = std::vector<WebhookDelivery>;
  return transaction(fmt::format("read the webhooks of job {}", job_id),
                     [&](pg::Connection& c) -> Result<Deliveries> {
                       auto rows =
                           c.exec(fmt::format("{} WHERE job_id = $1 ORDER BY id", kSelectDelivery),
                                  Params(job_id));
                       if (!rows) return std::unexpected(std::move(rows.error()));
                       return read_deliveries(*rows);
                     });
}

}  // namespace docmill
