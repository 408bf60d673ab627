#include "support/test_database.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <random>

#include <fmt/format.h>

namespace docmill::testing {
// CREATE and DROP DATABASE cannot run in the database they name.
std::string TestDatabase::run_on_server(const std::string& sql) {
  PGconn* conn = PQconnectdb("dbname=postgres");
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    PGresult* r = PQexec(conn, sql.c_str());
    const auto status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) error = PQresultErrorMessage(r);
    PQclear(r);
  }
  PQfinish(conn);
  return error;
}

long long TestDatabase::query_int(const std::string& sql) const {
  PGconn* conn = PQconnectdb(fmt::format("dbname={}", name_).c_str());
  long long value = -1;
  if (PQstatus(conn) == CONNECTION_OK) {
    PGresult* r = PQexec(conn, sql.c_str());
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 && !PQgetisnull(r, 0, 0)) {
      value = std::atoll(PQgetvalue(r, 0, 0));
    }
    PQclear(r);
  }
  PQfinish(conn);
  return value;
}

std::unique_ptr<TestDatabase> TestDatabase::create(std::string& why) {
  if (std::getenv("PGHOST") == nullptr && std::getenv("PGPORT") == nullptr) {
    why =
        "no PostgreSQL server: PGHOST is not set (scripts/test.sh runs the suite under "
        "pg_virtualenv where PostgreSQL is installed)";
    return nullptr;
  }
  static std::atomic<int> counter{0};
  std::random_device random;
  const std::string name = fmt::format("docmill_test_{}_{}_{}", getpid(), counter++, random());
  if (auto error = run_on_server(fmt::format("CREATE DATABASE {}", name)); !error.empty()) {
    why = "cannot create a test database: " + error;
    return nullptr;
  }
  return std::unique_ptr<TestDatabase>(new TestDatabase(name));
}

TestDatabase::TestDatabase(std::string name)
    : name_(std::move(name)), url_("postgresql:///" + name_) {}

TestDatabase::~TestDatabase() {
  // FORCE: a server under test may still hold connections (a killed worker's, say).
  (void)run_on_server(fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", name_));
}

}  // namespace docmill::testing
