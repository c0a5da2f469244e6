// A thin RAII layer over the SQLite C API: Database (one connection),
// Statement (prepare, bind, step, read columns) and Transaction (commit, or
// roll back when it goes out of scope). Every failure is an infrastructure
// Error naming the database file and SQLite's own message.
//
// SQL stays inside store/: the typed stores (HttpCache, ReleaseLog, RunLog,
// ProbeStore, CulpritHistory, ClosureViaLog) are what the rest of driftlock
// uses. A connection is used by one thread at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace driftlock::store {

// The open handle and the file's name for messages; kept at a stable address
// so Statements survive moving their Database.
struct Connection;

class Statement;

class Database {
 public:
  // Opens (creating if missing) and configures the connection: WAL journal,
  // synchronous=NORMAL, foreign keys on, 5 s busy timeout. Does not migrate
  // (see store/schema.hpp). A file that is not a SQLite database is refused.
  static Result<Database> open(const std::filesystem::path& path);

  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  ~Database();

  const std::filesystem::path& path() const;

  // Runs one or more statements that return no rows (schema, pragmas).
  Result<void> execute(std::string_view sql);
  Result<Statement> prepare(std::string_view sql);

  // PRAGMA user_version: the schema version the migrations have reached.
  Result<int> user_version();
  Result<void> set_user_version(int version);

  std::int64_t last_insert_rowid() const;
  // Rows changed by the last INSERT, UPDATE or DELETE.
  std::int64_t changes() const;
  bool in_transaction() const;

  // "state database 'PATH': MESSAGE", from SQLite's last error on this
  // connection; corrupt and non-database files get a message of their own.
  Error error(int code) const;

 private:
  explicit Database(std::unique_ptr<Connection> connection);
  Result<void> configure();

  std::unique_ptr<Connection> m_connection;
};

// A prepared statement. Must not outlive its Database. Binding never fails on
// its own: a bad bind is remembered and reported by the next step().
class Statement {
 public:
  Statement(Statement&&) noexcept;
  Statement& operator=(Statement&&) noexcept;
  ~Statement();

  // Parameters are 1-based, as in SQLite.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, std::int64_t{value}); }
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const std::string& text) {
    return bind(index, std::string_view(text));
  }
  Statement& bind(int index, const std::optional<std::string>& text);  // nullopt: NULL
  Statement& bind_blob(int index, std::string_view bytes);
  Statement& bind_null(int index);

  // true: a row is ready to read; false: the statement has finished.
  Result<bool> step();
  // Steps to the end, for statements that return no rows.
  Result<void> run();
  // Ready to step again from the start, with bindings cleared.
  void reset();

  bool is_null(int column) const;
  std::int64_t column_int64(int column) const;
  std::string column_text(int column) const;                          // NULL: ""
  std::optional<std::string> column_optional_text(int column) const;  // NULL: nullopt
  std::string column_blob(int column) const;  // the bytes as they are stored

 private:
  friend class Database;
  Statement(Connection* connection, sqlite3_stmt* statement)
      : m_connection(connection), m_statement(statement) {}
  void note_bind(int code);

  Connection* m_connection = nullptr;
  sqlite3_stmt* m_statement = nullptr;
  int m_bind_error = 0;  // the first failing bind's result code, 0 if none
};

// BEGIN IMMEDIATE (take the write lock up front, so a long transaction never
// fails half-way on a lock upgrade), or a SAVEPOINT when a transaction is
// already open, so stores can be called inside a caller's transaction.
// Rolled back on destruction unless committed.
class Transaction {
 public:
  static Result<Transaction> begin(Database& database);

  Transaction(Transaction&&) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  Result<void> commit();
  Result<void> rollback();

 private:
  Transaction(Database* database, bool nested) : m_database(database), m_nested(nested) {}

  Database* m_database = nullptr;
  bool m_nested = false;
  bool m_open = true;
};

// Runs `body` (returning Result<T>) in a Transaction: committed when it
// succeeds, rolled back when it returns an error.
template <class Body>
auto in_transaction(Database& database, Body&& body) -> decltype(body()) {
  auto transaction = Transaction::begin(database);
  if (!transaction) return std::unexpected(std::move(transaction.error()));
  auto result = std::forward<Body>(body)();
  if (!result) return result;  // the destructor rolls back
  if (auto committed = transaction->commit(); !committed) {
    return std::unexpected(std::move(committed.error()));
  }
  return result;
}

}  // namespace driftlock::store
