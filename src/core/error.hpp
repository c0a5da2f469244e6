// Expected failures as values: every fallible function returns Result<T>, and
// one top-level handler (cli/main.cpp) renders the Error and picks the exit code.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <utility>

namespace driftlock {

// What went wrong decides the exit code (see `driftlock help exit-codes`).
enum class ErrorKind {
  usage,           // bad command line: exit 2
  input,           // bad manifest, snapshot, version or range: exit 2
  infrastructure,  // registry, timeout, broken baseline, I/O: exit 3
};

// Where in a file an input error was found; line and column are 1-based.
struct SourceLocation {
  std::string path;
  int line = 0;
  int column = 0;
  std::string line_text;  // the whole offending line, for the caret display
};

struct Error {
  ErrorKind kind = ErrorKind::input;
  std::string message;
  std::optional<SourceLocation> location;
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorKind kind, std::string message) {
  return std::unexpected(Error{kind, std::move(message), std::nullopt});
}

inline std::unexpected<Error> fail_input(std::string message) {
  return fail(ErrorKind::input, std::move(message));
}

inline std::unexpected<Error> fail_at(SourceLocation location, std::string message) {
  return std::unexpected(Error{ErrorKind::input, std::move(message), std::move(location)});
}

int exit_code(ErrorKind kind);

// "path:line:col: message" followed by the line and a caret under the column;
// just the message when there is no location.
std::string render(const Error& error);

// The location of byte `offset` in `text` (1-based line and column, the line's text).
SourceLocation locate(std::string path, std::string_view text, std::size_t offset);

// The location of (line, column) in `text`, filling in the line's text.
SourceLocation locate_line(std::string path, std::string_view text, int line, int column);

}  // namespace driftlock
