#include "jobs/postgres_schema.h"

#include <fmt/format.h>

#include <array>

namespace docmill {
namespace {

// Migration N brings the schema from version N-1 to N. Append only: a database that has
// applied one never sees it again.
// The tables mirror the SQLite store's (sqlite_job_store.cpp says what each column is for);
// `seq` is an identity column here, and times are epoch milliseconds in BIGINT.
constexpr std::array<const char*, 1> kMigrations = {
    R"sql(
CREATE TABLE tasks (
  job_id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  error_message TEXT NULL,
  filename TEXT NOT NULL,
  total_pages INTEGER NOT NULL,
  processed_pages INTEGER NOT NULL DEFAULT 0,
  seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
  lang TEXT NOT NULL,
  dpi INTEGER NOT NULL,
  force_ocr INTEGER NOT NULL,
  engine TEXT NOT NULL,
  priority TEXT NOT NULL,
  rank INTEGER NOT NULL,
  in_flight INTEGER NOT NULL DEFAULT 0,
  served INTEGER NOT NULL DEFAULT 0,
  queued_ms BIGINT NOT NULL,
  ocr_existing TEXT NOT NULL,
  callback_url TEXT NULL
);
CREATE INDEX tasks_by_status ON tasks (status, seq);
CREATE INDEX tasks_fair_share ON tasks (rank DESC, in_flight, served, seq)
  WHERE status IN ('pending', 'processing');
CREATE TABLE work_units (
  job_id TEXT NOT NULL REFERENCES tasks (job_id) ON DELETE CASCADE,
  page_index INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'claimed', 'done')),
  worker_id TEXT NULL,
  lease_expires_ms BIGINT NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  error TEXT NULL,
  finished_ms BIGINT NULL,
  method TEXT NULL,
  page_ms DOUBLE PRECISION NULL,
  PRIMARY KEY (job_id, page_index)
);
CREATE INDEX units_not_done ON work_units (job_id, page_index) WHERE state <> 'done';
CREATE INDEX units_finished ON work_units (finished_ms) WHERE finished_ms IS NOT NULL;
CREATE TABLE webhook_deliveries (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job_id TEXT NOT NULL UNIQUE REFERENCES tasks (job_id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  body TEXT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms BIGINT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'given_up')),
  last_error TEXT NULL
);
CREATE INDEX webhooks_due ON webhook_deliveries (next_attempt_ms) WHERE state = 'pending';
CREATE TABLE write_check (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  checked_ms BIGINT NOT NULL
);
)sql",
};

// Any fixed number: the advisory lock every docmill node takes while it migrates.
constexpr long long kMigrationLock = 0x646f636d696c6c;  // "docmill"

}  // namespace

int postgres_schema_version() {
  return static_cast<int>(kMigrations.size());
}

Result<int> migrate_postgres(pg::Connection& conn) {
  const auto rollback = [&](Error e) -> Result<int> {
    if (!conn.broken()) (void)conn.exec_simple("ROLLBACK");
    return std::unexpected(std::move(e));
  };
  if (auto s = conn.exec_simple("BEGIN"); !s) return std::unexpected(std::move(s.error()));
  if (auto s = conn.exec("SELECT pg_advisory_xact_lock($1)", pg::Params(kMigrationLock)); !s) {
    return rollback(std::move(s.error()));
  }
  if (auto s =
          conn.exec_simple("CREATE TABLE IF NOT EXISTS docmill_schema (version INTEGER NOT NULL)");
      !s) {
    return rollback(std::move(s.error()));
  }
  auto found = conn.exec("SELECT COALESCE(MAX(version), 0) FROM docmill_schema");
  if (!found) return rollback(std::move(found.error()));
  const int version = found->int_at(0, 0);
  if (version > postgres_schema_version()) {
    return rollback(
        Error{ErrorCode::kDatabase,
              fmt::format("the database is at schema version {}, newer than this docmill's {}: run "
                          "the newer docmill, or point DOCMILL_DATABASE_URL at another database",
                          version, postgres_schema_version())});
  }
  for (int v = version; v < postgres_schema_version(); ++v) {
    if (auto s = conn.exec_simple(kMigrations[static_cast<size_t>(v)]); !s) {
      return rollback(Error{ErrorCode::kDatabase,
                            fmt::format("schema migration {}: {}", v + 1, s.error().message)});
    }
  }
  if (version < postgres_schema_version()) {
    if (auto s = conn.exec("DELETE FROM docmill_schema"); !s) return rollback(std::move(s.error()));
    if (auto s = conn.exec("INSERT INTO docmill_schema (version) VALUES ($1)",
                           pg::Params(postgres_schema_version()));
        !s) {
      return rollback(std::move(s.error()));
    }
  }
  if (auto s = conn.exec_simple("COMMIT"); !s) return std::unexpected(std::move(s.error()));
  return version;
}

}  // namespace docmill
