#include "cli/migrate_command.h"

#include <cstdlib>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "jobs/pg_connection.h"
#include "jobs/postgres_schema.h"
#include "jobs/store_locator.h"

namespace docmill {
namespace {

int migrate(std::string url) {
  if (url.empty()) {
    const char* env = std::getenv("DOCMILL_DATABASE_URL");
    url = env != nullptr ? env : "";
  }
  if (!is_postgres_url(url)) {
    fmt::print(stderr,
               "docmill migrate: give the PostgreSQL server as --database-url or "
               "DOCMILL_DATABASE_URL (postgresql://user:password@host:port/database); the "
               "SQLite store needs no migration\n");
    return 2;
  }
  auto conn = pg::Connection::open(url);
  if (!conn) {
    fmt::print(stderr, "docmill migrate: {}: {}\n", pg::redacted(url), conn.error().message);
    return 2;
  }
  auto found = migrate_postgres(*conn);
  if (!found) {
    fmt::print(stderr, "docmill migrate: {}: {}\n", pg::redacted(url), found.error().message);
    return 2;
  }
  if (*found == postgres_schema_version()) {
    fmt::print("{}: schema version {}, up to date\n", pg::redacted(url), *found);
  } else {
    fmt::print("{}: schema version {} -> {}\n", pg::redacted(url), *found,
               postgres_schema_version());
  }
  return 0;
}

}  // namespace

void add_migrate_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("migrate", "Bring the PostgreSQL job store's schema up to date");
  auto url = std::make_shared<std::string>();
  cmd->add_option("--database-url", *url, "postgresql://... [env DOCMILL_DATABASE_URL]");
  cmd->callback([url, &exit_code] { exit_code = migrate(*url); });
}

}  // namespace docmill
