#pragma once
#include <CLI/CLI.hpp>

namespace docmill {

// Registers `docmill migrate [--database-url URL]`: brings the PostgreSQL job store's schema
// up to this build's version (DOCMILL_DATABASE_URL when no flag), says from which version, and
// exits; 2 with the server's message when it cannot. Nodes also migrate at start; this is for
// doing it once, before rolling out a new version.
void add_migrate_command(CLI::App& app, int& exit_code);

}  // namespace docmill
