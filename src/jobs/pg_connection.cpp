#include "jobs/pg_connection.h"

#include <libpq-fe.h>
#include <poll.h>

#include <charconv>
#include <cstdlib>

#include <fmt/format.h>

namespace docmill::pg {
namespace {

// libpq's messages end in a newline (and sometimes carry a second line of detail).
std::string trimmed(const char* message) {
  std::string s = message != nullptr ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

FailureKind kind_of(const char* sqlstate, bool connection_bad) {
  if (connection_bad) return FailureKind::kConnectionLost;
  const std::string_view state = sqlstate != nullptr ? sqlstate : "";
  if (state == "40P01" || state == "40001") return FailureKind::kConflict;
  // Class 08: connection exceptions; 57P01..57P03: the server is shutting down or starting.
  if (state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03") {
    return FailureKind::kConnectionLost;
  }
  // No SQLSTATE at all: libpq itself failed to talk to the server.
  if (state.empty()) return FailureKind::kConnectionLost;
  return FailureKind::kOther;
}

}  // namespace

void Params::add(double v) {
  values_.emplace_back(fmt::format("{}", v));
}

void Rows::Clear::operator()(pg_result* r) const {
  PQclear(r);
}

Rows::~Rows() = default;

int Rows::size() const {
  return PQntuples(result_.get());
}

int Rows::affected() const {
  const char* n = PQcmdTuples(result_.get());
  return n != nullptr && *n != '\0' ? std::atoi(n) : 0;
}

bool Rows::is_null(int row, int col) const {
  return PQgetisnull(result_.get(), row, col) != 0;
}

std::string Rows::text(int row, int col) const {
  return is_null(row, col) ? std::string() : std::string(PQgetvalue(result_.get(), row, col));
}

std::optional<std::string> Rows::optional_text(int row, int col) const {
  if (is_null(row, col)) return std::nullopt;
  return std::string(PQgetvalue(result_.get(), row, col));
}

int Rows::int_at(int row, int col) const {
  return static_cast<int>(int64_at(row, col));
}

long long Rows::int64_at(int row, int col) const {
  if (is_null(row, col)) return 0;
  const char* v = PQgetvalue(result_.get(), row, col);
  long long out = 0;
  std::from_chars(v, v + std::char_traits<char>::length(v), out);
  return out;
}

double Rows::double_at(int row, int col) const {
  if (is_null(row, col)) return 0;
  return std::strtod(PQgetvalue(result_.get(), row, col), nullptr);
}

void Connection::Finish::operator()(pg_conn* c) const {
  PQfinish(c);
}

Result<Connection> Connection::open(const std::string& conninfo) {
  Connection c(PQconnectdb(conninfo.c_str()));
  if (!c.conn_) return fail(ErrorCode::kDatabase, "out of memory opening a database connection");
  if (PQstatus(c.conn_.get()) != CONNECTION_OK) {
    return fail(ErrorCode::kDatabase, trimmed(PQerrorMessage(c.conn_.get())));
  }
  // The store's own notices (IF NOT EXISTS on a table that exists) are not worth a log line.
  PQsetNoticeProcessor(
      c.conn_.get(), [](void*, const char*) {}, nullptr);
  return c;
}

Connection::~Connection() = default;

std::unexpected<Error> Connection::failed(pg_result* result) {
  const bool bad = PQstatus(conn_.get()) == CONNECTION_BAD;
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  failure_ = kind_of(state, bad);
  std::string message = result != nullptr ? trimmed(PQresultErrorMessage(result)) : "";
  if (message.empty()) message = trimmed(PQerrorMessage(conn_.get()));
  if (message.empty()) message = "the database server did not answer";
  PQclear(result);
  return fail(ErrorCode::kDatabase, std::move(message));
}

Result<Rows> Connection::exec(std::string_view sql, const Params& params) {
  failure_ = FailureKind::kNone;
  const auto& values = params.values();
  std::vector<const char*> raw;
  raw.reserve(values.size());
  for (const auto& v : values) raw.push_back(v ? v->c_str() : nullptr);
  const std::string text(sql);
  pg_result* result = PQexecParams(conn_.get(), text.c_str(), static_cast<int>(raw.size()), nullptr,
                                   raw.data(), nullptr, nullptr, 0);
  const auto status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return failed(result);
  return Rows(result);
}

Status Connection::exec_simple(const char* sql) {
  failure_ = FailureKind::kNone;
  pg_result* result = PQexec(conn_.get(), sql);
  const auto status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return failed(result);
  PQclear(result);
  return {};
}

Result<bool> Connection::wait_notification(std::chrono::milliseconds timeout) {
  const auto drain = [&] {
    bool any = false;
    while (PGnotify* n = PQnotifies(conn_.get())) {
      any = true;
      PQfreemem(n);
    }
    return any;
  };
  if (drain()) return true;
  pollfd fd{.fd = PQsocket(conn_.get()), .events = POLLIN, .revents = 0};
  if (fd.fd < 0) return fail(ErrorCode::kDatabase, "the connection to the database is closed");
  const int ready = ::poll(&fd, 1, static_cast<int>(timeout.count()));
  if (ready < 0) return fail(ErrorCode::kDatabase, "cannot wait on the database connection");
  if (ready == 0) return false;
  if (PQconsumeInput(conn_.get()) == 0) {
    failure_ = FailureKind::kConnectionLost;
    return fail(ErrorCode::kDatabase, trimmed(PQerrorMessage(conn_.get())));
  }
  return drain();
}

bool Connection::broken() const {
  return PQstatus(conn_.get()) == CONNECTION_BAD;
}

Status Connection::reset() {
  PQreset(conn_.get());
  if (PQstatus(conn_.get()) != CONNECTION_OK) {
    failure_ = FailureKind::kConnectionLost;
    return fail(ErrorCode::kDatabase, trimmed(PQerrorMessage(conn_.get())));
  }
  failure_ = FailureKind::kNone;
  return {};
}

std::string redacted(std::string_view url) {
  // postgresql://user:password@host/...: the password sits between the first ':' after the
  // scheme and the '@'.
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  const auto at = url.find('@', scheme_end + 3);
  if (at == std::string_view::npos) return std::string(url);
  const auto colon = url.find(':', scheme_end + 3);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return fmt::format("{}:***{}", url.substr(0, colon), url.substr(at));
}

}  // namespace docmill::pg
