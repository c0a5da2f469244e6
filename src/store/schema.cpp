#include "store/schema.hpp"

#include <fmt/format.h>

#include <array>

namespace driftlock::store {
namespace {

// Timestamps are INTEGER seconds since the Unix epoch (UTC); JSON columns hold
// text written by driftlock. See docs/state.md for what each column means.
constexpr std::array<std::string_view, 5> kMigrations = {
    // 1: HTTP cache, releases first seen, runs, outcome memo, probe log, culprits.
    R"sql(
CREATE TABLE http_cache (
  url           TEXT PRIMARY KEY NOT NULL,
  etag          TEXT,
  last_modified TEXT,
  content_type  TEXT,
  fetched_at    INTEGER NOT NULL,
  encoding      TEXT NOT NULL CHECK (encoding IN ('identity', 'zlib')),
  size          INTEGER NOT NULL CHECK (size >= 0),
  body          BLOB NOT NULL
);

CREATE TABLE releases_seen (
  ecosystem  TEXT NOT NULL,
  name       TEXT NOT NULL,
  version    TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  PRIMARY KEY (ecosystem, name, version)
) WITHOUT ROWID;

CREATE TABLE runs (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  kind        TEXT NOT NULL CHECK (kind IN ('run', 'check', 'bisect')),
  started_at  INTEGER NOT NULL,
  finished_at INTEGER,
  status      TEXT NOT NULL
              CHECK (status IN ('running', 'ok', 'worse', 'error', 'interrupted')),
  summary     TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE outcomes (
  candidate_id     TEXT NOT NULL,
  builder_revision TEXT NOT NULL,
  outcome          TEXT NOT NULL CHECK (outcome IN ('pass', 'fail', 'unresolved')),
  details          TEXT NOT NULL DEFAULT '{}',
  duration_ms      INTEGER NOT NULL CHECK (duration_ms >= 0),
  recorded_at      INTEGER NOT NULL,
  PRIMARY KEY (candidate_id, builder_revision)
) WITHOUT ROWID;

CREATE TABLE probes (
  run_id       INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  seq          INTEGER NOT NULL CHECK (seq >= 1),
  candidate_id TEXT NOT NULL,
  subset       TEXT NOT NULL,
  attempt      INTEGER NOT NULL DEFAULT 0 CHECK (attempt >= 0),
  outcome      TEXT NOT NULL CHECK (outcome IN ('pass', 'fail', 'unresolved', 'error')),
  purpose      TEXT NOT NULL DEFAULT '',
  duration_ms  INTEGER NOT NULL CHECK (duration_ms >= 0),
  recorded_at  INTEGER NOT NULL,
  PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;

CREATE TABLE culprit_events (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id    INTEGER REFERENCES runs (id) ON DELETE SET NULL,
  ecosystem TEXT NOT NULL,
  name      TEXT NOT NULL,
  version   TEXT NOT NULL,
  reason    TEXT NOT NULL,
  at        INTEGER NOT NULL
);
CREATE INDEX culprit_events_by_dependency ON culprit_events (ecosystem, name, at);
)sql",
    // 2: probes keep the evidence of flaky tests: the memo key's builder
    // revision, whether the outcome was built or recalled from the memo, and
    // every test that failed in the build (NULL: no JUnit results). Rows
    // logged before keep the defaults.
    R"sql(
ALTER TABLE probes ADD COLUMN builder_revision TEXT NOT NULL DEFAULT '';
ALTER TABLE probes ADD COLUMN built INTEGER NOT NULL DEFAULT 1 CHECK (built IN (0, 1));
ALTER TABLE probes ADD COLUMN failing_tests TEXT;
)sql",
    // 3: probes keep the culprit search's round they were asked in (counted
    // over the run; 0 for builds outside the search), for the history's
    // pictures. Rows logged before keep NULL: their round was not recorded.
    R"sql(
ALTER TABLE probes ADD COLUMN round INTEGER CHECK (round IS NULL OR round >= 0);
)sql",
    // 4: the closure capture's "via" per transitive package: through which
    // named packages it came. Kept here, not in the snapshot, whose keys are
    // contract; each capture replaces its ecosystems' rows.
    R"sql(
CREATE TABLE closure_via (
  image       TEXT NOT NULL,
  ecosystem   TEXT NOT NULL,
  name        TEXT NOT NULL,
  via         TEXT NOT NULL,
  captured_at INTEGER NOT NULL,
  PRIMARY KEY (image, ecosystem, name)
) WITHOUT ROWID;
)sql",
    // 5: the shipping journal. A shipment moves staged -> pushing -> pushed
    // -> written -> done (no push: staged -> written -> done); a crash leaves
    // its step behind, so the next run knows whether an image was pushed that
    // the snapshot does not record yet, and finishes the job.
    R"sql(
CREATE TABLE shipments (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id       INTEGER,
  image        TEXT NOT NULL,
  snapshot     TEXT NOT NULL,
  candidate_id TEXT NOT NULL,
  previous     TEXT,
  content      TEXT NOT NULL,
  message      TEXT NOT NULL,
  step         TEXT NOT NULL
               CHECK (step IN ('staged', 'pushing', 'pushed', 'written', 'done', 'abandoned')),
  started_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
)sql",
};

Result<void> apply(Database& database, std::string_view sql, int version) {
  return in_transaction(database, [&]() -> Result<void> {
    // Re-read inside the write lock: another process may have migrated meanwhile.
    auto current = database.user_version();
    if (!current) return std::unexpected(std::move(current.error()));
    if (*current >= version) return {};
    if (auto done = database.execute(sql); !done) return done;
    return database.set_user_version(version);
  });
}

}  // namespace

std::span<const std::string_view> migrations() {
  return kMigrations;
}

int schema_version() {
  return static_cast<int>(kMigrations.size());
}

Result<void> migrate(Database& database, std::span<const std::string_view> steps) {
  const int known = static_cast<int>(steps.size());
  auto current = database.user_version();
  if (!current) return std::unexpected(std::move(current.error()));
  if (*current > known) {
    return fail(ErrorKind::infrastructure,
                fmt::format("state database '{}' has schema version {}, newer than this driftlock "
                            "understands ({}); upgrade driftlock or use another --state folder",
                            database.path().string(), *current, known));
  }
  if (*current < 0) {
    return fail(ErrorKind::infrastructure,
                fmt::format("state database '{}' has schema version {}, which no driftlock "
                            "writes; move it away or use another --state folder",
                            database.path().string(), *current));
  }
  for (int version = *current + 1; version <= known; ++version) {
    auto applied = apply(database, steps[static_cast<std::size_t>(version - 1)], version);
    if (!applied) {
      Error error = std::move(applied.error());
      error.message += fmt::format(" (while migrating to schema version {})", version);
      return std::unexpected(std::move(error));
    }
  }
  return {};
}

Result<void> migrate(Database& database) {
  return migrate(database, migrations());
}

Result<Database> open_state_database(const std::filesystem::path& path) {
  auto database = Database::open(path);
  if (!database) return database;
  if (auto migrated = migrate(*database); !migrated) {
    return std::unexpected(std::move(migrated.error()));
  }
  return database;
}

}  // namespace driftlock::store
