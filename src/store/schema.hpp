// The state database's schema as numbered migrations, tracked with
// PRAGMA user_version: migration i (1-based) brings version i-1 to i. A
// released migration is never edited; changes are new migrations appended to
// the list in schema.cpp (and described in docs/state.md).
#pragma once

#include <filesystem>
#include <span>
#include <string_view>

#include "core/error.hpp"
#include "store/database.hpp"

namespace driftlock::store {

// This driftlock's migrations, oldest first.
std::span<const std::string_view> migrations();

// The newest schema version this driftlock understands: migrations().size().
int schema_version();

// Applies the missing migrations, each in its own transaction. A database
// newer than `steps` knows is refused and left untouched.
Result<void> migrate(Database& database, std::span<const std::string_view> steps);
Result<void> migrate(Database& database);

// Database::open followed by migrate(): what StateDir uses.
Result<Database> open_state_database(const std::filesystem::path& path);

}  // namespace driftlock::store
