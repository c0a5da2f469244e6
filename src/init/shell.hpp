// Words and commands as the shell (and Docker's own substitution in FROM,
// ARG, ENV, COPY) reads them: quoting, `$NAME` / `${NAME}` /
// `${NAME:-default}` with the Dockerfile's ARG and ENV values, and the
// simple commands of a RUN line joined by `&&`, `||`, `;`, `|` and newlines.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace driftlock::init {

// A variable's value as the build sees it; no text when only the build can
// say (an ARG without a default is set with --build-arg).
struct Value {
  std::optional<std::string> text;
  std::string unknown_because;  // "ARG PY has no default"
};

// ARG and ENV values in scope; ENV wins over an ARG of the same name, as in
// Docker.
class Variables {
 public:
  void set_arg(const std::string& name, Value value) { m_args[name] = std::move(value); }
  void set_env(const std::string& name, Value value) { m_env[name] = std::move(value); }
  const Value* find(std::string_view name) const;
  // The ENV values only (what a later `FROM stage` inherits).
  Variables environment() const;

 private:
  std::map<std::string, Value, std::less<>> m_args;
  std::map<std::string, Value, std::less<>> m_env;
};

// A word as written (quotes, `$` and escapes included) and where it starts.
struct RawWord {
  std::string text;
  std::size_t offset = 0;
};

// How a command follows the one before it.
enum class Joiner { start, sequence, pipe };

struct RawCommand {
  std::vector<RawWord> words;
  Joiner joiner = Joiner::start;
};

// The simple commands of a shell script: split at `;`, `&&`, `||`, `&`,
// `|`, newlines and parentheses outside quotes; comments and redirections
// (`> file`, `2>&1`) left out; `\` + newline joins lines.
std::vector<RawCommand> split_commands(std::string_view script);

// The blank-separated words of an instruction's arguments (Docker's own
// word splitting for FROM, ARG, ENV, COPY), with its escape character.
std::vector<RawWord> split_words(std::string_view text, char escape = '\\');

enum class Problem {
  none,
  unknown,  // a variable with no value, a command's output
  syntax,   // `${NAME` without its `}`
};

struct Word {
  std::string text;  // quotes removed, variables substituted
  std::string raw;   // as written
  std::size_t offset = 0;
  Problem problem = Problem::none;
  std::string why;  // "$PY is not set in the Dockerfile" when problem != none
};

// Removes quotes and substitutes variables, as the shell (escape '\\') or
// Docker (the file's escape character) does.
Word expand(const RawWord& word, const Variables& variables, char escape = '\\');

}  // namespace driftlock::init
