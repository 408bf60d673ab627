#include "support/test_database.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <random>

#include <fmt/format.h>

namespace docmill::testing {
namespace {

// A statement on the server's maintenance database (CREATE and DROP DATABASE cannot run in
// the database they name); "" when it went through, the server's message otherwise.
std::string run_on_server(const std::string& sql) {
  PGconn* conn = PQconnectdb("dbname=postgres");
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    PGresult* r = PQexec(conn, sql.c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK) error = PQresultErrorMessage(r);
    PQclear(r);
  }
  PQfinish(conn);
  return error;
}

}  // namespace

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
