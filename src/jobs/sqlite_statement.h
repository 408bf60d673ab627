#pragma once
// Thin RAII wrappers over the sqlite3 C API for the job store. They report failures as
// ErrorCode::kDatabase with SQLite's own message; the caller adds what it was doing.
// Not thread-safe: the owner of the connection serialises access.
#include <sqlite3.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.h"

namespace docmill::sqlite {

// The connection's last error, as an Error a caller can wrap with context.
std::unexpected<Error> last_error(sqlite3* db);

// Runs one or more statements that return no rows we need (DDL, PRAGMA, BEGIN, COMMIT).
Status exec(sqlite3* db, const char* sql);

// A prepared statement; finalized on destruction.
class Statement {
 public:
  static Result<Statement> prepare(sqlite3* db, std::string_view sql);

  // Prepares and binds the parameters ?1, ?2, ... in order.
  template <class... Args>
  static Result<Statement> prepare(sqlite3* db, std::string_view sql, const Args&... args) {
    auto st = prepare(db, sql);
    if (!st) return st;
    int index = 0;
    int rc = SQLITE_OK;
    ((rc = rc == SQLITE_OK ? st->bind(++index, args) : rc), ...);
    if (rc != SQLITE_OK) return last_error(db);
    return st;
  }

  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // true: a row is ready to read; false: the statement is done.
  Result<bool> step();
  // Steps to the end, for statements that change rows; returns sqlite3_changes().
  Result<int> run();

  int column_int(int col) const;
  long long column_int64(int col) const;
  double column_double(int col) const;     // 0 for NULL
  std::string column_text(int col) const;  // "" for NULL
  std::optional<std::string> column_optional_text(int col) const;

 private:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}

  int bind(int index, int value);
  int bind(int index, long long value);
  int bind(int index, double value);
  int bind(int index, bool value) { return bind(index, value ? 1 : 0); }
  int bind(int index, std::string_view value);
  int bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  int bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  int bind(int index, const std::optional<std::string>& value);

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

// Prepares, binds and runs a statement that changes rows; returns how many it changed.
template <class... Args>
Result<int> run(sqlite3* db, std::string_view sql, const Args&... args) {
  auto st = Statement::prepare(db, sql, args...);
  if (!st) return std::unexpected(std::move(st.error()));
  return st->run();
}

// The first column of the first row of a query that always returns one (COUNT(*) and the like).
template <class... Args>
Result<long long> query_int(sqlite3* db, std::string_view sql, const Args&... args) {
  auto st = Statement::prepare(db, sql, args...);
  if (!st) return std::unexpected(std::move(st.error()));
  auto row = st->step();
  if (!row) return std::unexpected(std::move(row.error()));
  if (!*row) return fail(ErrorCode::kDatabase, "a query that returns one row returned none");
  return st->column_int64(0);
}

// BEGIN IMMEDIATE ... COMMIT. Taking the write lock up front means a read-then-write
// transaction cannot fail half-way with SQLITE_BUSY when another process writes meanwhile.
// Rolls back on destruction unless committed, so every early error return undoes its work.
class Transaction {
 public:
  static Result<Transaction> begin(sqlite3* db);

  Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Status commit();

 private:
  explicit Transaction(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;  // null once committed or rolled back
};

}  // namespace docmill::sqlite
