#pragma once
// A throw-away PostgreSQL database for one test, on the server the PG* environment variables
// name (pg_virtualenv sets them: scripts/test.sh runs the suite under it where PostgreSQL is
// installed). Dropped, with everything in it, on destruction. Tests of the PostgreSQL store
// skip, saying why, where there is no such server.
#include <memory>
#include <string>

namespace docmill::testing {

class TestDatabase {
 public:
  // A new empty database; null, with `why` set, when no server is configured or reachable.
  static std::unique_ptr<TestDatabase> create(std::string& why);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // The URL docmill is given (DOCMILL_DATABASE_URL): the database by name; host, port, user
  // and password from the same PG* variables.
  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

  // The first column of the first row of `sql` run in this database, as a number (-1 when the
  // query fails).
  long long query_int(const std::string& sql) const;
  // Runs `sql` on the server's maintenance database; "" when it went through, else the error.
  static std::string run_on_server(const std::string& sql);

 private:
  explicit TestDatabase(std::string name);
  std::string name_;
  std::string url_;
};

}  // namespace docmill::testing
