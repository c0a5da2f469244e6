#include "store/database.hpp"

#include <catch2/catch.hpp>

#include <string>

#include "store/support.hpp"

using namespace driftlock;
using namespace driftlock::store;
using driftlock::store_test::TempFolder;
using driftlock::store_test::write_bytes;

namespace {

Database open_ok(const std::filesystem::path& path) {
  auto database = Database::open(path);
  REQUIRE(database);
  return std::move(*database);
}

std::string pragma(Database& database, std::string_view name) {
  auto statement = database.prepare(std::string("PRAGMA ") + std::string(name));
  REQUIRE(statement);
  auto row = statement->step();
  REQUIRE(row);
  REQUIRE(*row);
  return statement->column_text(0);
}

std::int64_t count_rows(Database& database, std::string_view table) {
  auto statement = database.prepare(std::string("SELECT count(*) FROM ") + std::string(table));
  REQUIRE(statement);
  auto row = statement->step();
  REQUIRE(row);
  return statement->column_int64(0);
}

}  // namespace

TEST_CASE("a database opens in WAL mode with the safety pragmas", "[store][database]") {
  TempFolder folder;
  Database database = open_ok(folder / "state.db");
  CHECK(database.path() == folder / "state.db");
  CHECK(pragma(database, "journal_mode") == "wal");
  CHECK(pragma(database, "synchronous") == "1");  // NORMAL
  CHECK(pragma(database, "foreign_keys") == "1");
  CHECK(pragma(database, "busy_timeout") == "5000");
  CHECK(database.user_version() == 0);
  REQUIRE(database.set_user_version(4));
  CHECK(database.user_version() == 4);
}

TEST_CASE("statements bind, step and read columns", "[store][database]") {
  TempFolder folder;
  Database database = open_ok(folder / "t.db");
  REQUIRE(database.execute("CREATE TABLE t (i INTEGER, s TEXT, b BLOB, n TEXT)"));
  auto insert = database.prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4)");
  REQUIRE(insert);

  const std::string binary("a\0b\xff", 4);
  insert->bind(1, std::int64_t{1} << 40)
      .bind(2, "text")
      .bind_blob(3, binary)
      .bind(4, std::optional<std::string>());
  REQUIRE(insert->run());
  CHECK(database.last_insert_rowid() == 1);
  insert->reset();
  insert->bind(1, -7).bind(2, std::string("second")).bind_blob(3, "").bind(4, std::string("x"));
  REQUIRE(insert->run());
  CHECK(database.changes() == 1);

  auto select = database.prepare("SELECT i, s, b, n FROM t ORDER BY rowid");
  REQUIRE(select);
  auto row = select->step();
  REQUIRE(row);
  REQUIRE(*row);
  CHECK(select->column_int64(0) == std::int64_t{1} << 40);
  CHECK(select->column_text(1) == "text");
  CHECK(select->column_blob(2) == binary);
  CHECK(select->is_null(3));
  CHECK(select->column_optional_text(3) == std::nullopt);
  row = select->step();
  REQUIRE(row);
  REQUIRE(*row);
  CHECK(select->column_int64(0) == -7);
  CHECK_FALSE(select->is_null(2));  // an empty blob stays a blob
  CHECK(select->column_blob(2).empty());
  CHECK(select->column_optional_text(3) == "x");
  row = select->step();
  REQUIRE(row);
  CHECK_FALSE(*row);
}

TEST_CASE("SQL errors name the database file and SQLite's message", "[store][database]") {
  TempFolder folder;
  Database database = open_ok(folder / "t.db");
  const std::string prefix = "state database '" + (folder / "t.db").string() + "': ";

  auto bad = database.prepare("SELEKT 1");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().kind == ErrorKind::infrastructure);
  CHECK(bad.error().message == prefix + "near \"SELEKT\": syntax error");

  REQUIRE(database.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)"));
  auto insert = database.prepare("INSERT INTO t VALUES (?1)");
  REQUIRE(insert);
  insert->bind(1, 1);
  REQUIRE(insert->run());
  insert->reset();
  insert->bind(1, 1);
  auto duplicate = insert->run();
  REQUIRE_FALSE(duplicate);
  CHECK(duplicate.error().message == prefix + "UNIQUE constraint failed: t.x");

  // A bad bind is reported by the next step.
  insert->reset();
  insert->bind(9, 1);
  auto unbound = insert->step();
  REQUIRE_FALSE(unbound);
  CHECK(unbound.error().message == prefix + "cannot bind a parameter: column index out of range");
}

TEST_CASE("a file that is not a database is refused, not crashed on", "[store][database]") {
  TempFolder folder;
  const auto path = folder / "state.db";
  std::string junk;
  for (int i = 0; i < 200; ++i) junk += "this is not a database, just some text\n";
  write_bytes(path, junk);
  auto database = Database::open(path);
  REQUIRE_FALSE(database);
  CHECK(database.error().kind == ErrorKind::infrastructure);
  CHECK(database.error().message ==
        "state database '" + path.string() +
            "' is not a SQLite database (file is not a database); move it away or use another "
            "--state folder");
  CHECK(store_test::read_bytes(path) == junk);  // left as it was
}

TEST_CASE("damaged pages are reported as corruption", "[store][database]") {
  TempFolder folder;
  const auto path = folder / "state.db";
  {
    Database database = open_ok(path);
    REQUIRE(database.execute("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('hello');"));
  }  // the last connection checkpoints the WAL into the file
  std::string bytes = store_test::read_bytes(path);
  REQUIRE(bytes.size() >= 8192);
  for (std::size_t i = 4096; i < 8192; ++i) bytes[i] = '\xaa';  // page 2: the table t
  write_bytes(path, bytes);

  Database database = open_ok(path);
  auto select = database.prepare("SELECT x FROM t");
  REQUIRE(select);
  auto row = select->step();
  REQUIRE_FALSE(row);
  CHECK(row.error().message ==
        "state database '" + path.string() +
            "' is corrupt (database disk image is malformed); move it away or use another "
            "--state folder");
}

TEST_CASE("a database in a missing folder cannot be opened", "[store][database]") {
  TempFolder folder;
  const auto path = folder / "missing" / "state.db";
  auto database = Database::open(path);
  REQUIRE_FALSE(database);
  CHECK(database.error().message ==
        "state database '" + path.string() + "': cannot open: unable to open database file");
}

TEST_CASE("transactions commit, or roll back when dropped or on error", "[store][database]") {
  TempFolder folder;
  Database database = open_ok(folder / "t.db");
  REQUIRE(database.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)"));

  SECTION("commit keeps the rows") {
    auto transaction = Transaction::begin(database);
    REQUIRE(transaction);
    CHECK(database.in_transaction());
    REQUIRE(database.execute("INSERT INTO t VALUES (1)"));
    REQUIRE(transaction->commit());
    CHECK_FALSE(database.in_transaction());
    CHECK(count_rows(database, "t") == 1);
  }
  SECTION("a dropped transaction rolls back") {
    {
      auto transaction = Transaction::begin(database);
      REQUIRE(transaction);
      REQUIRE(database.execute("INSERT INTO t VALUES (1)"));
    }
    CHECK_FALSE(database.in_transaction());
    CHECK(count_rows(database, "t") == 0);
  }
  SECTION("explicit rollback") {
    auto transaction = Transaction::begin(database);
    REQUIRE(transaction);
    REQUIRE(database.execute("INSERT INTO t VALUES (1)"));
    REQUIRE(transaction->rollback());
    CHECK(count_rows(database, "t") == 0);
    CHECK(transaction->commit());  // nothing left to commit
  }
  SECTION("in_transaction rolls back everything when the body fails") {
    auto result = in_transaction(database, [&]() -> Result<int> {
      if (auto done = database.execute("INSERT INTO t VALUES (1)"); !done) {
        return std::unexpected(done.error());
      }
      if (auto done = database.execute("INSERT INTO t VALUES (1)"); !done) {
        return std::unexpected(done.error());
      }
      return 2;
    });
    REQUIRE_FALSE(result);
    CHECK(result.error().message ==
          "state database '" + (folder / "t.db").string() + "': UNIQUE constraint failed: t.x");
    CHECK_FALSE(database.in_transaction());
    CHECK(count_rows(database, "t") == 0);
  }
  SECTION("in_transaction commits a successful body and passes its value on") {
    auto result = in_transaction(database, [&]() -> Result<int> {
      if (auto done = database.execute("INSERT INTO t VALUES (1)"); !done) {
        return std::unexpected(done.error());
      }
      return 7;
    });
    REQUIRE(result);
    CHECK(*result == 7);
    CHECK(count_rows(database, "t") == 1);
  }
  SECTION("nested transactions are savepoints") {
    auto outer = Transaction::begin(database);
    REQUIRE(outer);
    REQUIRE(database.execute("INSERT INTO t VALUES (1)"));
    {
      auto inner = Transaction::begin(database);
      REQUIRE(inner);
      REQUIRE(database.execute("INSERT INTO t VALUES (2)"));
    }  // inner rolled back: row 2 gone, row 1 kept
    CHECK(database.in_transaction());
    CHECK(count_rows(database, "t") == 1);
    {
      auto inner = Transaction::begin(database);
      REQUIRE(inner);
      REQUIRE(database.execute("INSERT INTO t VALUES (3)"));
      REQUIRE(inner->commit());
    }
    CHECK(database.in_transaction());  // releasing a savepoint does not commit the outer one
    REQUIRE(outer->rollback());
    CHECK(count_rows(database, "t") == 0);
  }
}

TEST_CASE("a moved database keeps its statements valid", "[store][database]") {
  TempFolder folder;
  Database first = open_ok(folder / "t.db");
  auto statement = first.prepare("SELECT 42");
  REQUIRE(statement);
  Database second = std::move(first);
  auto row = statement->step();
  REQUIRE(row);
  CHECK(statement->column_int64(0) == 42);
  CHECK(second.path() == folder / "t.db");
}
