#pragma once
// Thin RAII wrappers over libpq for the PostgreSQL job store: one connection, its queries with
// parameters sent apart from the SQL text (never quoted into it), and their rows. Failures are
// ErrorCode::kDatabase with the server's own message; the caller adds what it was doing, and
// asks failure_kind() whether trying again can help. Not thread-safe: the pool hands a
// connection to one thread at a time.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

struct pg_conn;
struct pg_result;

namespace docmill::pg {

// Parameters $1, $2, ... in text form; nullopt is NULL.
class Params {
 public:
  template <class... Args>
  explicit Params(const Args&... args) {
    (add(args), ...);
  }
  const std::vector<std::optional<std::string>>& values() const { return values_; }

 private:
  void add(int v) { values_.emplace_back(std::to_string(v)); }
  void add(long long v) { values_.emplace_back(std::to_string(v)); }
  void add(double v);
  void add(bool v) { values_.emplace_back(v ? "1" : "0"); }
  void add(std::string_view v) { values_.emplace_back(std::string(v)); }
  void add(const std::string& v) { values_.emplace_back(v); }
  void add(const char* v) { values_.emplace_back(std::string(v)); }
  void add(const std::optional<std::string>& v) { values_.push_back(v); }

  std::vector<std::optional<std::string>> values_;
};

// A query's answer: its rows (text columns), or how many rows a change touched.
class Rows {
 public:
  Rows(Rows&&) noexcept = default;
  Rows& operator=(Rows&&) noexcept = default;
  ~Rows();

  int size() const;
  int affected() const;  // rows an INSERT, UPDATE or DELETE touched
  bool is_null(int row, int col) const;
  std::string text(int row, int col) const;  // "" for NULL
  std::optional<std::string> optional_text(int row, int col) const;
  int int_at(int row, int col) const;  // 0 for NULL
  long long int64_at(int row, int col) const;
  double double_at(int row, int col) const;

 private:
  friend class Connection;
  explicit Rows(pg_result* result) : result_(result) {}
  struct Clear {
    void operator()(pg_result* r) const;
  };
  std::unique_ptr<pg_result, Clear> result_;
};

// Why the last query failed, for the caller's retry decision.
enum class FailureKind {
  kNone,
  kConflict,        // deadlock or serialization failure: the whole transaction may run again
  kConnectionLost,  // the server went away (restart, network): reconnect, then maybe retry
  kOther,           // the query itself is wrong, or a constraint refused it
};

class Connection {
 public:
  // `conninfo`: a postgresql:// URL or key=value pairs; what it leaves out comes from the
  // PG* environment variables, as for psql.
  static Result<Connection> open(const std::string& conninfo);

  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept = default;
  ~Connection();

  Result<Rows> exec(std::string_view sql, const Params& params = Params());
  // Runs a statement with no parameters and no rows of interest (BEGIN, COMMIT, DDL).
  Status exec_simple(const char* sql);

  // Waits up to `timeout` for a notification on a channel this connection LISTENs to; true
  // when one (or more) came, false on timeout; an error when the connection failed.
  Result<bool> wait_notification(std::chrono::milliseconds timeout);

  FailureKind failure_kind() const { return failure_; }
  // The connection is gone (the server restarted or the network dropped it).
  bool broken() const;
  // Connects again with the same settings; kDatabase when the server is still unreachable.
  Status reset();

 private:
  explicit Connection(pg_conn* conn) : conn_(conn) {}
  std::unexpected<Error> failed(pg_result* result);
  struct Finish {
    void operator()(pg_conn* c) const;
  };
  std::unique_ptr<pg_conn, Finish> conn_;
  FailureKind failure_ = FailureKind::kNone;
};

// `url` with its password replaced by "***", for messages and logs.
std::string redacted(std::string_view url);

}  // namespace docmill::pg
