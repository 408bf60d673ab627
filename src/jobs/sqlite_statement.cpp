#include "jobs/sqlite_statement.h"

#include <utility>

namespace docmill::sqlite {

std::unexpected<Error> last_error(sqlite3* db) {
  return fail(ErrorCode::kDatabase, sqlite3_errmsg(db));
}

Status exec(sqlite3* db, const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message != nullptr ? message : sqlite3_errmsg(db);
    sqlite3_free(message);
    return fail(ErrorCode::kDatabase, std::move(text));
  }
  return {};
}

Result<Statement> Statement::prepare(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
      SQLITE_OK) {
    return last_error(db);
  }
  return Statement(db, stmt);
}

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Result<bool> Statement::step() {
  switch (sqlite3_step(stmt_)) {
    case SQLITE_ROW:
      return true;
    case SQLITE_DONE:
      return false;
    default:
      return last_error(db_);
  }
}

Result<int> Statement::run() {
  for (;;) {
    auto row = step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) return sqlite3_changes(db_);
  }
}

int Statement::column_int(int col) const {
  return sqlite3_column_int(stmt_, col);
}

long long Statement::column_int64(int col) const {
  return sqlite3_column_int64(stmt_, col);
}

double Statement::column_double(int col) const {
  return sqlite3_column_double(stmt_, col);
}

std::string Statement::column_text(int col) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (text == nullptr) return {};
  return std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

std::optional<std::string> Statement::column_optional_text(int col) const {
  if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
  return column_text(col);
}

int Statement::bind(int index, int value) {
  return sqlite3_bind_int(stmt_, index, value);
}

int Statement::bind(int index, long long value) {
  return sqlite3_bind_int64(stmt_, index, value);
}

int Statement::bind(int index, double value) {
  return sqlite3_bind_double(stmt_, index, value);
}

int Statement::bind(int index, std::string_view value) {
  return sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                             SQLITE_UTF8);
}

int Statement::bind(int index, const std::optional<std::string>& value) {
  if (!value) return sqlite3_bind_null(stmt_, index);
  return bind(index, std::string_view(*value));
}

Result<Transaction> Transaction::begin(sqlite3* db) {
  if (auto s = exec(db, "BEGIN IMMEDIATE"); !s) return std::unexpected(std::move(s.error()));
  return Transaction(db);
}

Transaction::~Transaction() {
  // Nothing useful can be done with a failed rollback here; SQLite rolls back on its own
  // when the connection closes.
  if (db_ != nullptr) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

Status Transaction::commit() {
  if (auto s = exec(db_, "COMMIT"); !s) return s;  // still active: the destructor rolls back
  db_ = nullptr;
  return {};
}

}  // namespace docmill::sqlite
