#include "jobs/sqlite_job_store.h"

#include <sqlite3.h>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "core/clock.h"
#include "jobs/queue_pace.h"
#include "jobs/sqlite_statement.h"

namespace docmill {
namespace {

using sqlite::Statement;

// `seq` orders jobs by creation: created_at has one-second resolution, so it cannot tell apart
// jobs uploaded in the same second. Units keep their lease as epoch milliseconds so that
// expiry is one integer comparison in the claim query.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS tasks (
  job_id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  error_message TEXT NULL,
  filename TEXT NOT NULL,
  total_pages INTEGER NOT NULL,
  processed_pages INTEGER NOT NULL DEFAULT 0,
  seq INTEGER NOT NULL,
  lang TEXT NOT NULL,
  dpi INTEGER NOT NULL,
  force_ocr INTEGER NOT NULL,
  engine TEXT NOT NULL DEFAULT 'tesseract',
  priority TEXT NOT NULL DEFAULT 'normal',
  rank INTEGER NOT NULL DEFAULT 1,
  in_flight INTEGER NOT NULL DEFAULT 0,
  served INTEGER NOT NULL DEFAULT 0,
  queued_ms INTEGER NOT NULL DEFAULT 0,
  ocr_existing TEXT NOT NULL DEFAULT 'auto',
  callback_url TEXT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS tasks_by_seq ON tasks(seq);
CREATE INDEX IF NOT EXISTS tasks_by_status ON tasks(status, seq);
CREATE UNIQUE INDEX IF NOT EXISTS tasks_unfinished ON tasks(seq)
  WHERE status IN ('pending', 'processing');
CREATE TABLE IF NOT EXISTS work_units (
  job_id TEXT NOT NULL REFERENCES tasks(job_id) ON DELETE CASCADE,
  page_index INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'claimed', 'done')),
  worker_id TEXT NULL,
  lease_expires_ms INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  error TEXT NULL,
  finished_ms INTEGER NULL,
  method TEXT NULL,
  page_ms REAL NULL,
  PRIMARY KEY (job_id, page_index)
);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  id INTEGER PRIMARY KEY,
  job_id TEXT NOT NULL UNIQUE REFERENCES tasks(job_id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  body TEXT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'given_up')),
  last_error TEXT NULL
);
CREATE INDEX IF NOT EXISTS webhooks_due ON webhook_deliveries(next_attempt_ms)
  WHERE state = 'pending';
CREATE TABLE IF NOT EXISTS write_check (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  checked_ms INTEGER NOT NULL
);
)sql";

// Made after the columns it indexes exist in a queue from an older version (see open()).
// The claim walks unfinished jobs in this order: priority rank, then the fewest units in
// flight, then the least served (pages done; -1 once all are, so that the job's assembly
// comes first and the job ends), then the oldest; UNIQUE (seq is) so the planner knows each
// job is one group.
constexpr const char* kFairIndex = R"sql(
DROP INDEX IF EXISTS tasks_fair;
CREATE UNIQUE INDEX IF NOT EXISTS tasks_fair_share
  ON tasks(rank DESC, in_flight, served, seq) WHERE status IN ('pending', 'processing');
CREATE INDEX IF NOT EXISTS units_finished ON work_units(finished_ms)
  WHERE finished_ms IS NOT NULL;
)sql";

// Columns added since the first version, with what an older queue's rows get.
// Columns of work_units added since its first version, added to an older queue when it opens.
constexpr std::pair<const char*, const char*> kAddedUnitColumns[] = {
    {"finished_ms", "INTEGER"}, {"method", "TEXT"}, {"page_ms", "REAL"}};

constexpr std::pair<const char*, const char*> kAddedTaskColumns[] = {
    {"engine", "TEXT NOT NULL DEFAULT 'tesseract'"},
    {"priority", "TEXT NOT NULL DEFAULT 'normal'"},
    {"rank", "INTEGER NOT NULL DEFAULT 1"},
    {"in_flight", "INTEGER NOT NULL DEFAULT 0"},
    {"served", "INTEGER NOT NULL DEFAULT 0"},
    {"queued_ms", "INTEGER NOT NULL DEFAULT 0"},
    {"ocr_existing", "TEXT NOT NULL DEFAULT 'auto'"},
    {"callback_url", "TEXT NULL"},
};

// The columns the store adds to the seed's; a `tasks` table without them was made by something
// else and cannot be used as is.
constexpr const char* kExtraTaskColumns[] = {"seq", "lang", "dpi", "force_ocr"};

constexpr std::string_view kSelectJob =
    "SELECT job_id, status, created_at, updated_at, error_message, filename, total_pages, "
    "processed_pages, lang, dpi, force_ocr, engine, priority, ocr_existing, callback_url "
    "FROM tasks ";

Result<Job> read_job(const Statement& st) {
  Job job;
  job.job_id = st.column_text(0);
  const std::string status = st.column_text(1);
  const auto parsed = parse_job_status(status);
  if (!parsed) {
    return fail(ErrorCode::kDatabase,
                fmt::format("job {} has an unknown status '{}'", job.job_id, status));
  }
  job.status = *parsed;
  job.created_at = st.column_text(2);
  job.updated_at = st.column_text(3);
  job.error_message = st.column_optional_text(4);
  job.filename = st.column_text(5);
  job.total_pages = st.column_int(6);
  job.processed_pages = st.column_int(7);
  job.options.lang = st.column_text(8);
  job.options.dpi = st.column_int(9);
  job.options.force_ocr = st.column_int(10) != 0;
  job.options.engine = parse_engine_kind(st.column_text(11)).value_or(EngineKind::kTesseract);
  job.priority = parse_priority(st.column_text(12)).value_or(Priority::kNormal);
  job.options.ocr_existing = parse_ocr_existing(st.column_text(13)).value_or(OcrExisting::kAuto);
  job.callback_url = st.column_optional_text(14);
  return job;
}

Result<std::vector<Job>> read_jobs(Statement& st) {
  std::vector<Job> jobs;
  for (;;) {
    auto row = st.step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) return jobs;
    auto job = read_job(st);
    if (!job) return std::unexpected(std::move(job.error()));
    jobs.push_back(std::move(*job));
  }
}

// Runs `body` and, when it fails inside SQLite, says which database and what we were doing, so
// that "database is locked" or "disk I/O error" reaches the log with enough to act on.
template <class F>
auto in_context(const std::filesystem::path& db_file, std::string_view action, F&& body) {
  auto result = std::forward<F>(body)();
  if (!result && result.error().code == ErrorCode::kDatabase) {
    result.error().message = fmt::format("job database {}: cannot {}: {}", db_file.string(), action,
                                         result.error().message);
  }
  return result;
}

// The next unit a worker may take: the job of the highest priority rank first; among equals
// the one with the fewest units in flight (so running jobs interleave page by page), then the
// one that has had the fewest pages done (a worker freed by a long job's page goes to a job
// that has waited, not back to the long one: with fewest-in-flight and age alone, a 40-page
// job kept one of two workers while ten one-page jobs queued behind each other on the other),
// then the oldest; its pages in order. The assembly unit sorts
// first (page_index -1) but is only eligible once no page of its job is left, so in practice
// it comes after the pages. Per-client fairness would put the client's units in flight before
// the job's in this key (ARCHITECTURE.md).
// The query walks unfinished jobs in tasks_fair_share order (the partial index, UNIQUE so the
// planner knows each job is one group) and each job's units in primary-key order, and stops
// at the first match; left to itself the planner gathers and sorts every unit of every unfinished
// job on each claim. CROSS JOIN pins tasks as the outer loop; INDEXED BY pins the index.
constexpr std::string_view kPickUnit = R"sql(
SELECT u.job_id, u.page_index, u.attempts, t.status, t.lang, t.dpi, t.force_ocr, u.error,
  t.engine, t.ocr_existing
FROM tasks t INDEXED BY tasks_fair_share CROSS JOIN work_units u ON u.job_id = t.job_id
WHERE t.status IN ('pending', 'processing')
  AND (u.state = 'open' OR (u.state = 'claimed' AND u.lease_expires_ms < ?1))
  AND (u.page_index >= 0 OR NOT EXISTS (
         SELECT 1 FROM work_units p
         WHERE p.job_id = u.job_id AND p.page_index >= 0 AND p.state <> 'done'))
ORDER BY t.rank DESC, t.in_flight ASC, t.served ASC, t.seq ASC, u.page_index ASC
LIMIT 1
)sql";

struct Candidate {
  std::string job_id;
  int page_index = 0;
  int attempts = 0;
  JobStatus status = JobStatus::kPending;
  JobOptions options;
  std::optional<std::string> previous_failure;
};

Result<std::optional<Candidate>> pick_unit(sqlite3* db, long long now_ms) {
  auto st = Statement::prepare(db, kPickUnit, now_ms);
  if (!st) return std::unexpected(std::move(st.error()));
  auto row = st->step();
  if (!row) return std::unexpected(std::move(row.error()));
  if (!*row) return std::nullopt;
  Candidate c;
  c.job_id = st->column_text(0);
  c.page_index = st->column_int(1);
  c.attempts = st->column_int(2);
  c.status = parse_job_status(st->column_text(3)).value_or(JobStatus::kProcessing);
  c.options.lang = st->column_text(4);
  c.options.dpi = st->column_int(5);
  c.options.force_ocr = st->column_int(6) != 0;
  c.previous_failure = st->column_optional_text(7);
  c.options.engine = parse_engine_kind(st->column_text(8)).value_or(EngineKind::kTesseract);
  c.options.ocr_existing = parse_ocr_existing(st->column_text(9)).value_or(OcrExisting::kAuto);
  return c;
}

// Keeps the claim's fair-share keys of a job current: in_flight, its claimed page units, and
// served, its pages done (-1 once all are done). Called in the transaction of every change.
Status refresh_in_flight(sqlite3* db, std::string_view job_id) {
  auto changed = sqlite::run(db,
                             "UPDATE tasks SET in_flight = (SELECT COUNT(*) FROM work_units "
                             "WHERE job_id = ?1 AND page_index >= 0 AND state = 'claimed'), "
                             "served = CASE WHEN processed_pages >= total_pages THEN -1 "
                             "ELSE processed_pages END WHERE job_id = ?1",
                             job_id);
  if (!changed) return std::unexpected(std::move(changed.error()));
  return {};
}

int rank_of(Priority p) {
  return static_cast<int>(p);
}

// A page that was handed out max_attempts times without ever being completed most likely
// kills the worker (a crash in the renderer or OCR engine on that page): record it as failed
// so the rest of the job can finish, instead of crashing workers forever.
Status give_up_page(sqlite3* db, const Candidate& c) {
  const std::string error = fmt::format(
      "page {} stopped the worker {} times (the process crashed or was killed while reading "
      "it); skipped",
      c.page_index + 1, c.attempts);
  auto unit = sqlite::run(db,
                          "UPDATE work_units SET state = 'done', worker_id = NULL, error = ?1 "
                          "WHERE job_id = ?2 AND page_index = ?3",
                          error, c.job_id, c.page_index);
  if (!unit) return std::unexpected(std::move(unit.error()));
  auto task = sqlite::run(db,
                          "UPDATE tasks SET processed_pages = processed_pages + 1, "
                          "updated_at = ?1 WHERE job_id = ?2",
                          now_iso8601(), c.job_id);
  if (!task) return std::unexpected(std::move(task.error()));
  return refresh_in_flight(db, c.job_id);
}

// The job has just ended (in the caller's transaction): its webhook, when it has a callback_url,
// becomes due now. At most one per job (UNIQUE job_id): a job ends once.
Status enqueue_webhook(sqlite3* db, std::string_view job_id) {
  auto added =
      sqlite::run(db,
                  "INSERT OR IGNORE INTO webhook_deliveries (job_id, url, next_attempt_ms) "
                  "SELECT job_id, callback_url, ?2 FROM tasks "
                  "WHERE job_id = ?1 AND callback_url IS NOT NULL",
                  job_id, now_unix_ms());
  if (!added) return std::unexpected(std::move(added.error()));
  return {};
}

Result<std::vector<WebhookDelivery>> read_deliveries(Statement& st) {
  std::vector<WebhookDelivery> out;
  for (;;) {
    auto row = st.step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) return out;
    WebhookDelivery d;
    d.id = st.column_int64(0);
    d.job_id = st.column_text(1);
    d.url = st.column_text(2);
    d.body = st.column_optional_text(3);
    d.attempts = st.column_int(4);
    d.next_attempt_ms = st.column_int64(5);
    d.state = parse_delivery_state(st.column_text(6)).value_or(DeliveryState::kPending);
    d.last_error = st.column_optional_text(7);
    out.push_back(std::move(d));
  }
}

constexpr std::string_view kSelectDelivery =
    "SELECT id, job_id, url, body, attempts, next_attempt_ms, state, last_error "
    "FROM webhook_deliveries ";

// Same reasoning for assembly; with no output to salvage, the job fails.
Status give_up_job(sqlite3* db, const Candidate& c) {
  auto task = sqlite::run(db,
                          "UPDATE tasks SET status = 'failed', error_message = ?1, "
                          "updated_at = ?2 WHERE job_id = ?3",
                          fmt::format("assembling the outputs failed {} times", c.attempts),
                          now_iso8601(), c.job_id);
  if (!task) return std::unexpected(std::move(task.error()));
  auto unit = sqlite::run(db,
                          "UPDATE work_units SET state = 'done', worker_id = NULL "
                          "WHERE job_id = ?1 AND page_index = ?2",
                          c.job_id, kAssembleUnit);
  if (!unit) return std::unexpected(std::move(unit.error()));
  return enqueue_webhook(db, c.job_id);
}

// The columns `table` has.
Result<std::set<std::string, std::less<>>> column_names(sqlite3* db, std::string_view table) {
  auto st = Statement::prepare(db, "SELECT name FROM pragma_table_info(?1)", table);
  if (!st) return std::unexpected(std::move(st.error()));
  std::set<std::string, std::less<>> names;
  for (;;) {
    auto row = st->step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) return names;
    names.insert(st->column_text(0));
  }
}

}  // namespace

void SqliteJobStore::Closer::operator()(sqlite3* db) const {
  sqlite3_close_v2(db);
}

SqliteJobStore::SqliteJobStore(Connection db, std::filesystem::path path)
    : db_(std::move(db)), path_(std::move(path)) {}

SqliteJobStore::~SqliteJobStore() = default;

Result<std::unique_ptr<SqliteJobStore>> SqliteJobStore::open(const std::filesystem::path& db_file) {
  const auto cannot_open = [&](std::string_view why) {
    return fail(ErrorCode::kDatabase,
                fmt::format("cannot open the job database {}: {}", db_file.string(), why));
  };

  sqlite3* raw = nullptr;
  // NOMUTEX: the store serialises all use of the connection itself.
  const int rc =
      sqlite3_open_v2(db_file.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  Connection db(raw);  // sqlite3_open_v2 allocates a handle even when it fails
  if (rc != SQLITE_OK) {
    return cannot_open(db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc));
  }
  sqlite3_extended_result_codes(db.get(), 1);

  // busy_timeout first, so that the rest waits for another process holding the file. WAL lets
  // readers (the API listing jobs) proceed while a worker writes; synchronous=NORMAL is durable
  // across process crashes in WAL mode, which is what the queue needs to survive. Foreign keys
  // are off by default in SQLite and deleting a job relies on the cascade to its units.
  if (auto s = sqlite::exec(db.get(),
                            "PRAGMA busy_timeout = 5000;"
                            "PRAGMA journal_mode = WAL;"
                            "PRAGMA synchronous = NORMAL;"
                            "PRAGMA foreign_keys = ON;");
      !s) {
    return cannot_open(s.error().message);
  }
  {
    auto tx = sqlite::Transaction::begin(db.get());
    if (!tx) return cannot_open(tx.error().message);
    if (auto s = sqlite::exec(db.get(), kSchema); !s) return cannot_open(s.error().message);
    if (auto s = tx->commit(); !s) return cannot_open(s.error().message);
  }

  auto names = column_names(db.get(), "tasks");
  if (!names) return cannot_open(names.error().message);
  // A queue from an older version gets the columns added since (its jobs Tesseract's, normal
  // priority), then the index over them.
  if (names->contains("seq")) {
    for (const auto& [column, type] : kAddedTaskColumns) {
      if (names->contains(column)) continue;
      if (auto s = sqlite::exec(
              db.get(), fmt::format("ALTER TABLE tasks ADD COLUMN {} {}", column, type).c_str());
          !s) {
        return cannot_open(s.error().message);
      }
      names->insert(column);
    }
    auto unit_names = column_names(db.get(), "work_units");
    if (!unit_names) return cannot_open(unit_names.error().message);
    for (const auto& [column, type] : kAddedUnitColumns) {
      if (unit_names->contains(column)) continue;
      if (auto s = sqlite::exec(
              db.get(),
              fmt::format("ALTER TABLE work_units ADD COLUMN {} {}", column, type).c_str());
          !s) {
        return cannot_open(s.error().message);
      }
    }
    if (auto s = sqlite::exec(db.get(), kFairIndex); !s) return cannot_open(s.error().message);
  }
  for (const char* column : kExtraTaskColumns) {
    if (!names->contains(column)) {
      return cannot_open(fmt::format(
          "its table 'tasks' has no column '{}'; it was made by another program or an older "
          "version. Move it aside to start with an empty queue",
          column));
    }
  }

  return std::unique_ptr<SqliteJobStore>(new SqliteJobStore(std::move(db), db_file));
}

Status SqliteJobStore::create_job(const Job& job, std::span<const int> page_indices) {
  for (int index : page_indices) {
    if (index < 0) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("job {}: page index {} is negative", job.job_id, index));
    }
  }
  std::lock_guard lock(mutex_);
  sqlite3* db = db_.get();
  return in_context(path_, fmt::format("create job {}", job.job_id), [&]() -> Status {
    auto tx = sqlite::Transaction::begin(db);
    if (!tx) return std::unexpected(std::move(tx.error()));
    // The caller may have stamped created_at already (to answer the upload with it); keep it.
    const std::string now = now_iso8601();
    const std::string created_at = job.created_at.empty() ? now : job.created_at;
    auto task = sqlite::run(
        db,
        "INSERT INTO tasks (job_id, status, created_at, updated_at, error_message, filename, "
        "total_pages, processed_pages, seq, lang, dpi, force_ocr, engine, priority, rank, "
        "in_flight, queued_ms, ocr_existing, callback_url) "
        "VALUES (?1, 'pending', ?2, ?3, NULL, ?4, ?5, 0, "
        "(SELECT COALESCE(MAX(seq), 0) + 1 FROM tasks), ?6, ?7, ?8, ?9, ?10, ?11, 0, ?12, ?13, "
        "?14)",
        job.job_id, created_at, now, job.filename, job.total_pages, job.options.lang,
        job.options.dpi, job.options.force_ocr, to_string(job.options.engine),
        to_string(job.priority), rank_of(job.priority), now_unix_ms(),
        to_string(job.options.ocr_existing), job.callback_url);
    if (!task) return std::unexpected(std::move(task.error()));

    const auto add_unit = [&](int page_index) -> Status {
      auto st = Statement::prepare(db,
                                   "INSERT INTO work_units (job_id, page_index, state, attempts) "
                                   "VALUES (?1, ?2, 'open', 0)",
                                   job.job_id, page_index);
      if (!st) return std::unexpected(std::move(st.error()));
      if (auto done = st->run(); !done) return std::unexpected(std::move(done.error()));
      return {};
    };
    for (int index : page_indices) {
      if (auto s = add_unit(index); !s) return s;
    }
    if (auto s = add_unit(kAssembleUnit); !s) return s;
    return tx->commit();
  });
}

Result<std::optional<Job>> SqliteJobStore::get_job(std::string_view job_id) {
  std::lock_guard lock(mutex_);
  return in_context(path_, fmt::format("read job {}", job_id), [&]() -> Result<std::optional<Job>> {
    auto st =
        Statement::prepare(db_.get(), fmt::format("{} WHERE job_id = ?1", kSelectJob), job_id);
    if (!st) return std::unexpected(std::move(st.error()));
    auto jobs = read_jobs(*st);
    if (!jobs) return std::unexpected(std::move(jobs.error()));
    if (jobs->empty()) return std::nullopt;
    return std::move(jobs->front());
  });
}

Result<std::vector<Job>> SqliteJobStore::list_jobs(std::optional<JobStatus> status) {
  std::lock_guard lock(mutex_);
  return in_context(path_, "list jobs", [&]() -> Result<std::vector<Job>> {
    auto st =
        status ? Statement::prepare(
                     db_.get(), fmt::format("{} WHERE status = ?1 ORDER BY seq DESC", kSelectJob),
                     to_string(*status))
               : Statement::prepare(db_.get(), fmt::format("{} ORDER BY seq DESC", kSelectJob));
    if (!st) return std::unexpected(std::move(st.error()));
    return read_jobs(*st);
  });
}

Result<int> SqliteJobStore::count_unfinished_jobs() {
  std::lock_guard lock(mutex_);
  return in_context(path_, "count unfinished jobs", [&]() -> Result<int> {
    auto n = sqlite::query_int(
        db_.get(), "SELECT COUNT(*) FROM tasks WHERE status IN ('pending', 'processing')");
    if (!n) return std::unexpected(std::move(n.error()));
    return static_cast<int>(*n);
  });
}

Result<StoreCounts> SqliteJobStore::counts() {
  std::lock_guard lock(mutex_);
  sqlite3* db = db_.get();
  return in_context(path_, "count jobs and queued units", [&]() -> Result<StoreCounts> {
    StoreCounts out;
    for (const auto s :
         {JobStatus::kPending, JobStatus::kProcessing, JobStatus::kCompleted, JobStatus::kFailed}) {
      out.jobs[s] = 0;
    }
    auto st = Statement::prepare(db, "SELECT status, COUNT(*) FROM tasks GROUP BY status");
    if (!st) return std::unexpected(std::move(st.error()));
    for (;;) {
      auto row = st->step();
      if (!row) return std::unexpected(std::move(row.error()));
      if (!*row) break;
      if (const auto status = parse_job_status(st->column_text(0))) {
        out.jobs[*status] = st->column_int(1);
      }
    }
    auto open = sqlite::query_int(db, "SELECT COUNT(*) FROM work_units WHERE state = 'open'");
    if (!open) return std::unexpected(std::move(open.error()));
    out.open_units = static_cast<int>(*open);
    return out;
  });
}

Status SqliteJobStore::check_writable() {
  std::lock_guard lock(mutex_);
  sqlite3* db = db_.get();
  return in_context(path_, "write", [&]() -> Status {
    auto tx = sqlite::Transaction::begin(db);
    if (!tx) return std::unexpected(std::move(tx.error()));
    auto wrote = sqlite::run(
        db, "INSERT OR REPLACE INTO write_check (id, checked_ms) VALUES (1, ?1)", now_unix_ms());
    if (!wrote) return std::unexpected(std::move(wrote.error()));
    return tx->commit();
  });
}

Result<std::optional<WorkClaim>> SqliteJobStore::claim_next(std::string_view worker_id,
                                                            std::chrono::milliseconds lease,
                                                            int max_attempts) {
  if (max_attempts < 1) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("max_attempts must be at least 1, not {}", max_attempts));
  }
  if (lease.count() < 0) {
    return fail(ErrorCode::kInvalidArgument, "the lease must not be negative");
  }
  std::lock_guard lock(mutex_);
  sqlite3* db = db_.get();
  return in_context(path_, "claim work", [&]() -> Result<std::optional<WorkClaim>> {
    auto tx = sqlite::Transaction::begin(db);
    if (!tx) return std::unexpected(std::move(tx.error()));
    // Each pass either hands out a unit or closes one that was tried too often, so the loop
    // ends: there are finitely many units and none is reopened.
    for (;;) {
      const long long now_ms = now_unix_ms();
      auto picked = pick_unit(db, now_ms);
      if (!picked) return std::unexpected(std::move(picked.error()));
      if (!*picked) {
        if (auto s = tx->commit(); !s) return std::unexpected(std::move(s.error()));
        return std::nullopt;
      }
      const Candidate& c = **picked;
      const int attempt = c.attempts + 1;

      if (attempt > max_attempts) {
        auto s = c.page_index == kAssembleUnit ? give_up_job(db, c) : give_up_page(db, c);
        if (!s) return std::unexpected(std::move(s.error()));
        continue;
      }

      auto unit = sqlite::run(db,
                              "UPDATE work_units SET state = 'claimed', worker_id = ?1, "
                              "lease_expires_ms = ?2, attempts = ?3 "
                              "WHERE job_id = ?4 AND page_index = ?5",
                              worker_id, now_ms + static_cast<long long>(lease.count()), attempt,
                              c.job_id, c.page_index);
      if (!unit) return std::unexpected(std::move(unit.error()));
      if (auto s = refresh_in_flight(db, c.job_id); !s) return std::unexpected(s.error());
      if (c.status == JobStatus::kPending) {
        auto task = sqlite::run(db,
                                "UPDATE tasks SET status = 'processing', updated_at = ?1 "
                                "WHERE job_id = ?2",
                                now_iso8601(), c.job_id);
        if (!task) return std::unexpected(std::move(task.error()));
      }
      if (auto s = tx->commit(); !s) return std::unexpected(std::move(s.error()));
      return WorkClaim{.job_id = c.job_id,
                       .page_index = c.page_index,
                       .attempt = attempt,
                       .options = c.options,
                       .previous_failure = c.previous_failure};
    }
  });
}

// Matching on the attempt as well as the worker makes the claim a fencing token: a worker whose
// lease ran out and whose unit was handed out again cannot touch it, even when a later
// claim went to a worker with the same id (ids are reused across restarts).
Result<bool> SqliteJobStore::renew_lease(const WorkClaim& claim, std::string_view worker_id,
                                         std::chrono::milliseconds lease) {
  std::lock_guard lock(mutex_);
  return in_context(
      path_, fmt::format("renew the lease on job {}", claim.job_id), [&]() -> Result<bool> {
        auto changed = sqlite::run(db_.get(),
                                   "UPDATE work_units SET lease_expires_ms = ?1 "
                                   "WHERE job_id = ?2 AND page_index = ?3 AND state = 'claimed' "
                                   "AND worker_id = ?4 AND attempts = ?5",
                                   now_unix_ms() + static_cast<long long>(lease.count()),
                                   claim.job_id, claim.page_index, worker_id, claim.attempt);
        if (!changed) return std::unexpected(std::move(changed.error()));
        return *changed > 0;
      });
}

Result<PageOutcome> SqliteJobStore::complete_page(const WorkClaim& claim,
                                                  std::string_view worker_id,
                                                  std::optional<std::string> page_error,
                                                  const PageCost& cost) {
  if (claim.is_assembly()) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("job {}: the assembly unit is closed by finish_job, not complete_page",
                            claim.job_id));
  }
  std::lock_guard lock(mutex_);
  sqlite3* db = db_.get();
  return in_context(
      path_, fmt::format("record page {} of job {}", claim.page_index + 1, claim.job_id),
      [&]() -> Result<PageOutcome> {
        auto tx = sqlite::Transaction::begin(db);
        if (!tx) return std::unexpected(std::move(tx.error()));
        auto unit =
            sqlite::run(db,
                        "UPDATE work_units SET state = 'done', worker_id = NULL, "
                        "error = ?1, finished_ms = ?6, method = NULLIF(?7, ''), page_ms = ?8 "
                        "WHERE job_id = ?2 AND page_index = ?3 "
                        "AND state = 'claimed' AND worker_id = ?4 AND attempts = ?5",
                        page_error, claim.job_id, claim.page_index, worker_id, claim.attempt,
                        now_unix_ms(), cost.method, cost.millis);
        if (!unit) return std::unexpected(std::move(unit.error()));
        // No row: the job was deleted (its units went with it) or the lease was lost.
        if (*unit == 0) return PageOutcome::kJobGone;

        auto task = sqlite::run(db,
                                "UPDATE tasks SET processed_pages = processed_pages + 1, "
                                "updated_at = ?1 WHERE job_id = ?2",
                                now_iso8601(), claim.job_id);
        if (!task) return std::unexpected(std::move(task.error()));
        if (auto s = refresh_in_flight(db, claim.job_id); !s) return std::unexpected(s.error());
        auto left = sqlite::query_int(db,
                                      "SELECT COUNT(*) FROM work_units WHERE job_id = ?1 "
                                      "AND page_index >= 0 AND state <> 'done'",
                                      claim.job_id);
        if (!left) return std::unexpected(std::move(left.error()));
        if (auto s = tx->commit(); !s) return std::unexpected(std::move(s.error()));
        return *left == 0 ? PageOutcome::kLastPage : PageOutcome::kRecorded;
      });
}

Result<bool> SqliteJobStore::abandon_unit(const WorkClaim& claim, std::string_view worker_id,
                                          std::string_view cause, bool retry) {
  std::lock_guard lock(mutex_);
  sqlite3* db = db_.get();
  const std::string action =
      claim.is_assembly()
          ? fmt::format("give up assembling job {}", claim.job_id)
          : fmt::format("give up page {} of job {}", claim.page_index + 1, claim.job_id);
  return in_context(path_, action, [&]() -> Result<bool> {
    auto tx = sqlite::Transaction::begin(db);
    if (!tx) return std::unexpected(std::move(tx.error()));
    // While a unit is open, `error` holds why its last attempt died; once done, the page's error.
    // The same fencing as complete_page: only the holder of this very attempt may give it up.
    auto unit = sqlite::run(db,
                            "UPDATE work_units SET state = ?1, worker_id = NULL, "
                            "lease_expires_ms = 0, error = ?2 WHERE job_id = ?3 AND "
                            "page_index = ?4 AND state = 'claimed' AND worker_id = ?5 AND "
                            "attempts = ?6",
                            retry ? "open" : "done", cause, claim.job_id, claim.page_index,
                            worker_id, claim.attempt);
    if (!unit) return std::unexpected(std::move(unit.error()));
    if (*unit == 0) return false;
    if (!retry) {
      auto task = claim.is_assembly()
                      ? sqlite::run(db,
                                    "UPDATE tasks SET status = 'failed', error_message = ?1, "
                                    "updated_at = ?2 WHERE job_id = ?3",
                                    cause, now_iso8601(), claim.job_id)
                      : sqlite::run(db,
                                    "UPDATE tasks SET processed_pages = processed_pages + 1, "
                                    "updated_at = ?1 WHERE job_id = ?2",
                                    now_iso8601(), claim.job_id);
      if (!task) return std::unexpected(std::move(task.error()));
      if (claim.is_assembly()) {
        if (auto s = enqueue_webhook(db, claim.job_id); !s) return std::unexpected(s.error());
      }
    }
    if (auto s = refresh_in_flight(db, claim.job_id); !s) return std::unexpected(s.error());
    if (auto s = tx->commit(); !s) return std::unexpected(std::move(s.error()));
    return true;
  });
}

Result<int> SqliteJobStore::promote_starved(std::chrono::milliseconds waited) {
  std::lock_guard lock(mutex_);
  return in_context(path_, "promote jobs that waited too long", [&]() -> Result<int> {
    auto changed = sqlite::run(db_.get(),
                               "UPDATE tasks SET rank = ?1 WHERE rank < ?1 AND status IN "
                               "('pending', 'processing') AND queued_ms < ?2",
                               rank_of(Priority::kNormal),
                               now_unix_ms() - static_cast<long long>(waited.count()));
    if (!changed) return std::unexpected(std::move(changed.error()));
    return static_cast<int>(*changed);
  });
}

namespace {

// The pace of /status looks at the pages done in the last ten minutes.
constexpr long long kPaceWindowMs = 600'000;

// QueueStanding::own_seconds_per_page: `server_pace` times what the job's pages cost against
// the average page done since `since_ms`, by read method.
Result<std::optional<double>> own_pace(sqlite3* db, std::string_view job_id,
                                       std::string_view engine, long long since_ms,
                                       double server_pace) {
  auto by_method = Statement::prepare(db,
                                      "SELECT method, AVG(page_ms), COUNT(*) FROM work_units "
                                      "WHERE finished_ms >= ?1 AND method IS NOT NULL AND "
                                      "page_ms IS NOT NULL GROUP BY method",
                                      since_ms);
  if (!by_method) return std::unexpected(std::move(by_method.error()));
  std::map<std::string, MethodPace> recent;
  while (true) {
    auto row = by_method->step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) break;
    recent[by_method->column_text(0)] = {by_method->column_double(1), by_method->column_int64(2)};
  }
  auto mix = Statement::prepare(db,
                                "SELECT method, COUNT(*) FROM work_units WHERE job_id = ?1 AND "
                                "state = 'done' AND method IS NOT NULL GROUP BY method",
                                job_id);
  if (!mix) return std::unexpected(std::move(mix.error()));
  std::map<std::string, long long> own;
  while (true) {
    auto row = mix->step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) break;
    own[mix->column_text(0)] = mix->column_int64(1);
  }
  return own_seconds_per_page(recent, std::move(own), engine, server_pace);
}

}  // namespace

Result<QueueStanding> SqliteJobStore::queue_standing(std::string_view job_id) {
  std::lock_guard lock(mutex_);
  sqlite3* db = db_.get();
  return in_context(
      path_, fmt::format("read where job {} stands", job_id), [&]() -> Result<QueueStanding> {
        auto me = Statement::prepare(
            db, "SELECT status, rank, seq, engine FROM tasks WHERE job_id = ?1", job_id);
        if (!me) return std::unexpected(std::move(me.error()));
        auto row = me->step();
        if (!row) return std::unexpected(std::move(row.error()));
        if (!*row) return fail(ErrorCode::kNotFound, fmt::format("no job {}", job_id));
        const auto status = parse_job_status(me->column_text(0)).value_or(JobStatus::kPending);
        const int rank = me->column_int(1);
        const long long seq = me->column_int(2);
        const std::string engine = me->column_text(3);
        QueueStanding standing;
        if (status == JobStatus::kCompleted || status == JobStatus::kFailed) return standing;
        // Ahead: unfinished, and a higher rank, or the same and older (the partial index).
        auto ahead = Statement::prepare(
            db,
            "SELECT COALESCE(SUM(status = 'pending'), 0), "
            "COALESCE(SUM(total_pages - processed_pages), 0) FROM tasks "
            "WHERE status IN ('pending', 'processing') AND (rank > ?1 OR (rank = ?1 AND seq < ?2))",
            rank, seq);
        if (!ahead) return std::unexpected(std::move(ahead.error()));
        if (auto r = ahead->step(); !r) return std::unexpected(std::move(r.error()));
        if (status == JobStatus::kPending) standing.queue_position = ahead->column_int(0);
        standing.pages_ahead = ahead->column_int(1);
        auto running = sqlite::query_int(db,
                                         "SELECT COUNT(*) FROM tasks WHERE status = 'processing' "
                                         "AND rank >= ?1",
                                         rank);
        if (!running) return std::unexpected(std::move(running.error()));
        standing.running_alongside = static_cast<int>(*running);
        auto pace = Statement::prepare(db,
                                       "SELECT COUNT(*), MIN(finished_ms), MAX(finished_ms) FROM "
                                       "work_units WHERE finished_ms >= ?1",
                                       now_unix_ms() - kPaceWindowMs);
        if (!pace) return std::unexpected(std::move(pace.error()));
        if (auto r = pace->step(); !r) return std::unexpected(std::move(r.error()));
        const int done = pace->column_int(0);
        if (done >= 2) {
          const double span_ms = static_cast<double>(pace->column_int64(2) - pace->column_int64(1));
          if (span_ms > 0) standing.seconds_per_page = span_ms / 1000.0 / (done - 1);
        }
        if (standing.seconds_per_page) {
          auto own = own_pace(db, job_id, engine, now_unix_ms() - kPaceWindowMs,
                              *standing.seconds_per_page);
          if (!own) return std::unexpected(std::move(own.error()));
          standing.own_seconds_per_page = *own;
        }
        return standing;
      });
}

Result<bool> SqliteJobStore::defer_unit(const WorkClaim& claim, std::string_view worker_id,
                                        std::chrono::milliseconds delay) {
  std::lock_guard lock(mutex_);
  return in_context(
      path_, fmt::format("put off a unit of job {}", claim.job_id), [&]() -> Result<bool> {
        // Still 'claimed', by no worker, with a lease that runs out after the
        // delay: the claim query's expired-lease rule then hands it out again.
        auto unit = sqlite::run(db_.get(),
                                "UPDATE work_units SET worker_id = '', lease_expires_ms = ?1, "
                                "attempts = MAX(attempts - 1, 0) WHERE job_id = ?2 AND "
                                "page_index = ?3 AND state = 'claimed' AND worker_id = ?4 AND "
                                "attempts = ?5",
                                now_unix_ms() + static_cast<long long>(delay.count()), claim.job_id,
                                claim.page_index, worker_id, claim.attempt);
        if (!unit) return std::unexpected(std::move(unit.error()));
        return *unit > 0;
      });
}

Result<int> SqliteJobStore::release_claims(std::string_view worker_prefix) {
  std::lock_guard lock(mutex_);
  sqlite3* db = db_.get();
  return in_context(path_, "reopen the units of a stopped server", [&]() -> Result<int> {
    auto tx = sqlite::Transaction::begin(db);
    if (!tx) return std::unexpected(std::move(tx.error()));
    // substr() rather than LIKE: worker ids may hold '_' and '%', which LIKE would match loosely.
    auto changed = sqlite::run(db,
                               "UPDATE work_units SET state = 'open', worker_id = NULL, "
                               "lease_expires_ms = 0, attempts = MAX(attempts - 1, 0) "
                               "WHERE state = 'claimed' AND substr(worker_id, 1, ?1) = ?2",
                               static_cast<int>(worker_prefix.size()), worker_prefix);
    if (!changed) return std::unexpected(std::move(changed.error()));
    auto counts = sqlite::run(db,
                              "UPDATE tasks SET in_flight = (SELECT COUNT(*) FROM work_units u "
                              "WHERE u.job_id = tasks.job_id AND u.page_index >= 0 AND "
                              "u.state = 'claimed') WHERE status IN ('pending', 'processing')");
    if (!counts) return std::unexpected(std::move(counts.error()));
    if (auto s = tx->commit(); !s) return std::unexpected(std::move(s.error()));
    return static_cast<int>(*changed);
  });
}

Result<std::vector<std::pair<int, std::string>>> SqliteJobStore::page_errors(
    std::string_view job_id) {
  std::lock_guard lock(mutex_);
  using Errors = std::vector<std::pair<int, std::string>>;
  return in_context(
      path_, fmt::format("read the page errors of job {}", job_id), [&]() -> Result<Errors> {
        auto st =
            Statement::prepare(db_.get(),
                               "SELECT page_index, error FROM work_units WHERE job_id = ?1 "
                               "AND page_index >= 0 AND error IS NOT NULL ORDER BY page_index",
                               job_id);
        if (!st) return std::unexpected(std::move(st.error()));
        Errors errors;
        for (;;) {
          auto row = st->step();
          if (!row) return std::unexpected(std::move(row.error()));
          if (!*row) return errors;
          errors.emplace_back(st->column_int(0), st->column_text(1));
        }
      });
}

Status SqliteJobStore::finish_job(std::string_view job_id, JobStatus final_status,
                                  std::optional<std::string> error_message) {
  if (final_status != JobStatus::kCompleted && final_status != JobStatus::kFailed) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("job {}: a job ends completed or failed, not {}", job_id,
                            to_string(final_status)));
  }
  std::lock_guard lock(mutex_);
  sqlite3* db = db_.get();
  return in_context(path_, fmt::format("finish job {}", job_id), [&]() -> Status {
    auto tx = sqlite::Transaction::begin(db);
    if (!tx) return std::unexpected(std::move(tx.error()));
    auto task = sqlite::run(db,
                            "UPDATE tasks SET status = ?1, error_message = ?2, updated_at = ?3 "
                            "WHERE job_id = ?4",
                            to_string(final_status), error_message, now_iso8601(), job_id);
    if (!task) return std::unexpected(std::move(task.error()));
    if (*task == 0) {
      return fail(ErrorCode::kNotFound, fmt::format("job {} no longer exists", job_id));
    }
    auto unit = sqlite::run(db,
                            "UPDATE work_units SET state = 'done', worker_id = NULL "
                            "WHERE job_id = ?1 AND page_index = ?2",
                            job_id, kAssembleUnit);
    if (!unit) return std::unexpected(std::move(unit.error()));
    if (auto s = enqueue_webhook(db, job_id); !s) return s;
    return tx->commit();
  });
}

Result<bool> SqliteJobStore::delete_job(std::string_view job_id) {
  std::lock_guard lock(mutex_);
  return in_context(path_, fmt::format("delete job {}", job_id), [&]() -> Result<bool> {
    // One statement is its own transaction; the cascade removes the units with it.
    auto deleted = sqlite::run(db_.get(), "DELETE FROM tasks WHERE job_id = ?1", job_id);
    if (!deleted) return std::unexpected(std::move(deleted.error()));
    return *deleted > 0;
  });
}

Result<std::vector<WebhookDelivery>> SqliteJobStore::due_deliveries(
    long long now_ms, int limit, std::chrono::milliseconds hold) {
  std::lock_guard lock(mutex_);
  using Deliveries = std::vector<WebhookDelivery>;
  sqlite3* db = db_.get();
  return in_context(path_, "read the webhooks due", [&]() -> Result<Deliveries> {
    auto tx = sqlite::Transaction::begin(db);
    if (!tx) return std::unexpected(std::move(tx.error()));
    auto st = Statement::prepare(db,
                                 fmt::format("{} WHERE state = 'pending' AND next_attempt_ms <= ?1 "
                                             "ORDER BY next_attempt_ms, id LIMIT ?2",
                                             kSelectDelivery),
                                 now_ms, std::max(0, limit));
    if (!st) return std::unexpected(std::move(st.error()));
    auto due = read_deliveries(*st);
    if (!due) return std::unexpected(std::move(due.error()));
    if (hold.count() > 0) {
      for (const auto& d : *due) {
        auto held =
            sqlite::run(db, "UPDATE webhook_deliveries SET next_attempt_ms = ?1 WHERE id = ?2",
                        now_ms + static_cast<long long>(hold.count()), d.id);
        if (!held) return std::unexpected(std::move(held.error()));
      }
    }
    if (auto s = tx->commit(); !s) return std::unexpected(std::move(s.error()));
    return due;
  });
}

Result<bool> SqliteJobStore::record_delivery_attempt(long long delivery_id,
                                                     const DeliveryAttempt& attempt) {
  const DeliveryState state = !attempt.error        ? DeliveryState::kDelivered
                              : attempt.retry_at_ms ? DeliveryState::kPending
                                                    : DeliveryState::kGivenUp;
  std::lock_guard lock(mutex_);
  return in_context(
      path_, fmt::format("record webhook delivery {}", delivery_id), [&]() -> Result<bool> {
        auto changed = sqlite::run(
            db_.get(),
            "UPDATE webhook_deliveries SET attempts = attempts + 1, state = ?1, "
            "last_error = ?2, next_attempt_ms = ?3, body = COALESCE(body, ?4) WHERE id = ?5",
            to_string(state), attempt.error, attempt.retry_at_ms.value_or(0LL), attempt.body,
            delivery_id);
        if (!changed) return std::unexpected(std::move(changed.error()));
        return *changed > 0;
      });
}

Result<std::vector<WebhookDelivery>> SqliteJobStore::job_deliveries(std::string_view job_id) {
  std::lock_guard lock(mutex_);
  using Deliveries = std::vector<WebhookDelivery>;
  return in_context(
      path_, fmt::format("read the webhooks of job {}", job_id), [&]() -> Result<Deliveries> {
        auto st = Statement::prepare(
            db_.get(), fmt::format("{} WHERE job_id = ?1 ORDER BY id", kSelectDelivery), job_id);
        if (!st) return std::unexpected(std::move(st.error()));
        return read_deliveries(*st);
      });
}

}  // namespace docmill
