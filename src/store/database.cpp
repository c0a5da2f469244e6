#include "store/database.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <chrono>

namespace driftlock::store {

struct Connection {
  sqlite3* handle = nullptr;
  std::filesystem::path path;

  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  // Statements are finalised before their Database goes, so close_v2 never
  // has to linger; it is used anyway for robustness.
  ~Connection() { sqlite3_close_v2(handle); }
};

namespace {

constexpr std::chrono::milliseconds kBusyTimeout{5000};

Error connection_error(const Connection& connection, int code) {
  const std::string path = connection.path.string();
  const char* message =
      connection.handle ? sqlite3_errmsg(connection.handle) : sqlite3_errstr(code);
  switch (code & 0xff) {
    case SQLITE_NOTADB:
      return Error{ErrorKind::infrastructure,
                   fmt::format("state database '{}' is not a SQLite database ({}); move it away "
                               "or use another --state folder",
                               path, message),
                   std::nullopt};
    case SQLITE_CORRUPT:
      return Error{ErrorKind::infrastructure,
                   fmt::format("state database '{}' is corrupt ({}); move it away or use another "
                               "--state folder",
                               path, message),
                   std::nullopt};
    case SQLITE_BUSY:
      return Error{ErrorKind::infrastructure,
                   fmt::format("state database '{}': {} (still busy after {} s)", path, message,
                               kBusyTimeout.count() / 1000),
                   std::nullopt};
    default:
      return Error{ErrorKind::infrastructure, fmt::format("state database '{}': {}", path, message),
                   std::nullopt};
  }
}

}  // namespace

// ---- Database ---------------------------------------------------------------

Database::Database(std::unique_ptr<Connection> connection) : m_connection(std::move(connection)) {}
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;
Database::~Database() = default;

Result<Database> Database::open(const std::filesystem::path& path) {
  auto connection = std::make_unique<Connection>();
  connection->path = path;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW;
  const int code = sqlite3_open_v2(path.c_str(), &connection->handle, flags, nullptr);
  if (code != SQLITE_OK) {
    const char* message =
        connection->handle ? sqlite3_errmsg(connection->handle) : sqlite3_errstr(code);
    return fail(ErrorKind::infrastructure,
                fmt::format("state database '{}': cannot open: {}", path.string(), message));
  }
  // Extended codes tell SQLITE_BUSY_SNAPSHOT and friends apart in messages.
  sqlite3_extended_result_codes(connection->handle, 1);
  Database database(std::move(connection));
  if (auto configured = database.configure(); !configured) {
    return std::unexpected(std::move(configured.error()));
  }
  return database;
}

Result<void> Database::configure() {
  sqlite3_busy_timeout(m_connection->handle, static_cast<int>(kBusyTimeout.count()));
  // The first statement reads the header: a file that is not a database fails here.
  auto mode = prepare("PRAGMA journal_mode=WAL");
  if (!mode) return std::unexpected(std::move(mode.error()));
  auto row = mode->step();
  if (!row) return std::unexpected(std::move(row.error()));
  const std::string journal = *row ? mode->column_text(0) : std::string();
  if (journal != "wal") {
    return fail(ErrorKind::infrastructure,
                fmt::format("state database '{}': cannot use the WAL journal (SQLite chose '{}'); "
                            "put the --state folder on a local file system",
                            path().string(), journal));
  }
  // NORMAL is durable across application crashes in WAL mode; only a power
  // loss can drop the last commits, never corrupt the file.
  // journal_size_limit: a big cache write must not leave a big -wal file behind.
  return execute(
      "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA journal_size_limit=67108864;");
}

const std::filesystem::path& Database::path() const {
  return m_connection->path;
}

Result<void> Database::execute(std::string_view sql) {
  // sqlite3_exec wants a NUL-terminated string.
  const std::string text(sql);
  const int code = sqlite3_exec(m_connection->handle, text.c_str(), nullptr, nullptr, nullptr);
  if (code != SQLITE_OK) return std::unexpected(error(code));
  return {};
}

Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* statement = nullptr;
  const int code = sqlite3_prepare_v2(m_connection->handle, sql.data(),
                                      static_cast<int>(sql.size()), &statement, nullptr);
  if (code != SQLITE_OK) {
    sqlite3_finalize(statement);
    return std::unexpected(error(code));
  }
  return Statement(m_connection.get(), statement);
}

Result<int> Database::user_version() {
  auto statement = prepare("PRAGMA user_version");
  if (!statement) return std::unexpected(std::move(statement.error()));
  auto row = statement->step();
  if (!row) return std::unexpected(std::move(row.error()));
  return *row ? static_cast<int>(statement->column_int64(0)) : 0;
}

Result<void> Database::set_user_version(int version) {
  // PRAGMA takes no parameters; the value is an int, so formatting is safe.
  return execute(fmt::format("PRAGMA user_version = {}", version));
}

std::int64_t Database::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(m_connection->handle);
}

std::int64_t Database::changes() const {
  return sqlite3_changes64(m_connection->handle);
}

bool Database::in_transaction() const {
  return sqlite3_get_autocommit(m_connection->handle) == 0;
}

Error Database::error(int code) const {
  return connection_error(*m_connection, code);
}

// ---- Statement --------------------------------------------------------------

Statement::Statement(Statement&& other) noexcept
    : m_connection(std::exchange(other.m_connection, nullptr)),
      m_statement(std::exchange(other.m_statement, nullptr)),
      m_bind_error(other.m_bind_error) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(m_statement);
    m_connection = std::exchange(other.m_connection, nullptr);
    m_statement = std::exchange(other.m_statement, nullptr);
    m_bind_error = other.m_bind_error;
  }
  return *this;
}

Statement::~Statement() {
  sqlite3_finalize(m_statement);
}

void Statement::note_bind(int code) {
  if (code != SQLITE_OK && m_bind_error == 0) m_bind_error = code;
}

Statement& Statement::bind(int index, std::int64_t value) {
  note_bind(sqlite3_bind_int64(m_statement, index, value));
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  // SQLITE_TRANSIENT: SQLite copies, so temporaries are safe to pass.
  note_bind(sqlite3_bind_text64(m_statement, index, text.data(), text.size(), SQLITE_TRANSIENT,
                                SQLITE_UTF8));
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& text) {
  return text ? bind(index, std::string_view(*text)) : bind_null(index);
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  // An empty blob must stay a blob, not NULL: SQLite treats a null pointer as NULL.
  static const char empty = 0;
  note_bind(sqlite3_bind_blob64(m_statement, index, bytes.empty() ? &empty : bytes.data(),
                                bytes.size(), SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::bind_null(int index) {
  note_bind(sqlite3_bind_null(m_statement, index));
  return *this;
}

Result<bool> Statement::step() {
  if (m_bind_error != 0) {
    const int code = std::exchange(m_bind_error, 0);
    return fail(ErrorKind::infrastructure,
                fmt::format("state database '{}': cannot bind a parameter: {}",
                            m_connection->path.string(), sqlite3_errstr(code)));
  }
  const int code = sqlite3_step(m_statement);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  Error error = connection_error(*m_connection, code);
  sqlite3_reset(m_statement);
  return std::unexpected(std::move(error));
}

Result<void> Statement::run() {
  for (;;) {
    auto row = step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) return {};
  }
}

void Statement::reset() {
  sqlite3_reset(m_statement);
  sqlite3_clear_bindings(m_statement);
  m_bind_error = 0;
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(m_statement, column) == SQLITE_NULL;
}

std::int64_t Statement::column_int64(int column) const {
  return sqlite3_column_int64(m_statement, column);
}

std::string Statement::column_text(int column) const {
  const unsigned char* text = sqlite3_column_text(m_statement, column);
  if (text == nullptr) return {};
  const int size = sqlite3_column_bytes(m_statement, column);
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

std::optional<std::string> Statement::column_optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return column_text(column);
}

std::string Statement::column_blob(int column) const {
  const void* bytes = sqlite3_column_blob(m_statement, column);
  if (bytes == nullptr) return {};
  const int size = sqlite3_column_bytes(m_statement, column);
  return std::string(static_cast<const char*>(bytes), static_cast<std::size_t>(size));
}

// ---- Transaction ------------------------------------------------------------

Result<Transaction> Transaction::begin(Database& database) {
  const bool nested = database.in_transaction();
  auto begun = database.execute(nested ? "SAVEPOINT driftlock" : "BEGIN IMMEDIATE");
  if (!begun) return std::unexpected(std::move(begun.error()));
  return Transaction(&database, nested);
}

Transaction::Transaction(Transaction&& other) noexcept
    : m_database(other.m_database),
      m_nested(other.m_nested),
      m_open(std::exchange(other.m_open, false)) {}

Transaction::~Transaction() {
  if (m_open) (void)rollback();
}

Result<void> Transaction::commit() {
  if (!m_open) return {};
  m_open = false;
  auto committed = m_database->execute(m_nested ? "RELEASE driftlock" : "COMMIT");
  if (!committed && !m_nested && m_database->in_transaction()) {
    // A failed COMMIT (e.g. disk full) leaves the transaction open: end it.
    (void)m_database->execute("ROLLBACK");
  }
  return committed;
}

Result<void> Transaction::rollback() {
  if (!m_open) return {};
  m_open = false;
  if (m_nested) {
    // ROLLBACK TO keeps the savepoint open; RELEASE closes it.
    auto undone = m_database->execute("ROLLBACK TO driftlock");
    auto released = m_database->execute("RELEASE driftlock");
    return undone ? released : undone;
  }
  // Some errors (I/O, full disk, out of memory) end the transaction on their own.
  if (!m_database->in_transaction()) return {};
  return m_database->execute("ROLLBACK");
}

}  // namespace driftlock::store
