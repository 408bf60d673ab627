#pragma once
// The PostgreSQL job store's tables, as numbered migrations, and applying them: at every open
// of the store and by `docmill migrate`. Table docmill_schema holds the version applied; a
// transaction-scoped advisory lock makes nodes that start at once apply each step once.
#include "core/error.h"
#include "jobs/pg_connection.h"

namespace docmill {

// The version this build's store expects.
int postgres_schema_version();

// Brings the database behind `conn` up to postgres_schema_version(); returns the version it
// found. A database at a newer version (a newer docmill applied it) is refused, naming both.
Result<int> migrate_postgres(pg::Connection& conn);

}  // namespace docmill
