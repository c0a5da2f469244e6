// Quoting and nested `$( )` / `${ }` are not regular, so the word and
// command splitting below are hand-written loops; re2 reads what is regular
// inside them: variable names and the `${NAME:-word}` operators.
#include "init/shell.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

namespace driftlock::init {
namespace {

re2::StringPiece piece(std::string_view s) {
  return {s.data(), s.size()};
}

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

struct Syntax {
  char escape = '\\';
  bool operators = true;  // shell operators end words; Docker's words end only at blanks
};

std::size_t skip_single(std::string_view s, std::size_t i) {
  const std::size_t close = s.find('\'', i + 1);
  return close == std::string_view::npos ? s.size() : close + 1;
}

std::size_t skip_nested(std::string_view s, std::size_t i, char open, char close, char escape);

// From the opening '"' to after the closing one.
std::size_t skip_double(std::string_view s, std::size_t i, char escape) {
  ++i;
  while (i < s.size() && s[i] != '"') {
    if (s[i] == escape) {
      i += 2;
    } else if (s[i] == '$' && i + 1 < s.size() && (s[i + 1] == '(' || s[i + 1] == '{')) {
      i = skip_nested(s, i + 1, s[i + 1], s[i + 1] == '(' ? ')' : '}', escape);
    } else {
      ++i;
    }
  }
  return std::min(i + 1, s.size());
}

std::size_t skip_backtick(std::string_view s, std::size_t i, char escape) {
  ++i;
  while (i < s.size() && s[i] != '`') i += s[i] == escape ? 2 : 1;
  return std::min(i + 1, s.size());
}

// From `open` to after its matching `close`, skipping quoted text.
std::size_t skip_nested(std::string_view s, std::size_t i, char open, char close, char escape) {
  int depth = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == escape) {
      i += 2;
      continue;
    }
    if (c == '\'') {
      i = skip_single(s, i);
      continue;
    }
    if (c == '"') {
      i = skip_double(s, i, escape);
      continue;
    }
    if (c == open) ++depth;
    if (c == close && --depth == 0) return i + 1;
    ++i;
  }
  return s.size();
}

bool ends_word(char c, Syntax syntax) {
  if (is_blank(c) || c == '\n') return true;
  return syntax.operators && std::string_view(";&|()<>").find(c) != std::string_view::npos;
}

// The end of the word starting at `i`.
std::size_t word_end(std::string_view s, std::size_t i, Syntax syntax) {
  while (i < s.size()) {
    const char c = s[i];
    const char next = i + 1 < s.size() ? s[i + 1] : '\0';
    if (c == syntax.escape) {
      i += 2;
    } else if (c == '\'') {
      i = skip_single(s, i);
    } else if (c == '"') {
      i = skip_double(s, i, syntax.escape);
    } else if (c == '`') {
      i = skip_backtick(s, i, syntax.escape);
    } else if (c == '$' && (next == '(' || next == '{')) {
      i = skip_nested(s, i + 1, next, next == '(' ? ')' : '}', syntax.escape);
    } else if (syntax.operators && (c == '<' || c == '>') && next == '(') {
      i = skip_nested(s, i + 1, '(', ')', syntax.escape);  // process substitution
    } else if (ends_word(c, syntax)) {
      break;
    } else {
      ++i;
    }
  }
  return std::min(i, s.size());
}

bool all_digits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

const Value* Variables::find(std::string_view name) const {
  if (auto it = m_env.find(name); it != m_env.end()) return &it->second;
  if (auto it = m_args.find(name); it != m_args.end()) return &it->second;
  return nullptr;
}

Variables Variables::environment() const {
  Variables out;
  out.m_env = m_env;
  return out;
}

std::vector<RawCommand> split_commands(std::string_view s) {
  const Syntax syntax{'\\', true};
  std::vector<RawCommand> commands;
  RawCommand current;
  Joiner next_joiner = Joiner::start;
  auto finish = [&](Joiner then) {
    if (!current.words.empty()) {
      current.joiner = next_joiner;
      commands.push_back(std::move(current));
      current = RawCommand{};
    }
    // A pipe after an empty command (`|` at the start) still joins what follows.
    next_joiner = then;
  };
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    const char next = i + 1 < s.size() ? s[i + 1] : '\0';
    if (is_blank(c)) {
      ++i;
    } else if (c == '\\' && next == '\n') {
      i += 2;
    } else if (c == '#') {
      const std::size_t nl = s.find('\n', i);
      i = nl == std::string_view::npos ? s.size() : nl;
    } else if (c == '|' && next != '|') {
      finish(Joiner::pipe);
      i += next == '&' ? 2 : 1;
    } else if (c == '&' && next == '>') {
      // `&> file`: a redirection of both outputs.
      i += 2;
      if (i < s.size() && s[i] == '>') ++i;
      while (i < s.size() && is_blank(s[i])) ++i;
      i = word_end(s, i, syntax);
    } else if (c == ';' || c == '&' || c == '|' || c == '\n' || c == '(' || c == ')') {
      finish(Joiner::sequence);
      i += (c == '&' && next == '&') || (c == '|' && next == '|') || (c == ';' && next == ';') ? 2
                                                                                               : 1;
    } else if ((c == '<' || c == '>') && next != '(') {
      // A redirection: an fd number just before it was already taken as a
      // word; it and the target are not arguments.
      if (!current.words.empty() && all_digits(current.words.back().text) &&
          current.words.back().offset + current.words.back().text.size() == i) {
        current.words.pop_back();
      }
      while (i < s.size() && std::string_view("<>&|-").find(s[i]) != std::string_view::npos) ++i;
      while (i < s.size() && is_blank(s[i])) ++i;
      i = word_end(s, i, syntax);
    } else {
      const std::size_t end = word_end(s, i, syntax);
      if (end == i) {  // cannot happen, but never loop forever
        ++i;
        continue;
      }
      current.words.push_back({std::string(s.substr(i, end - i)), i});
      i = end;
    }
  }
  finish(Joiner::sequence);
  return commands;
}

std::vector<RawWord> split_words(std::string_view s, char escape) {
  const Syntax syntax{escape, false};
  std::vector<RawWord> words;
  std::size_t i = 0;
  while (i < s.size()) {
    if (is_blank(s[i]) || s[i] == '\n') {
      ++i;
      continue;
    }
    const std::size_t end = std::max(word_end(s, i, syntax), i + 1);
    words.push_back({std::string(s.substr(i, end - i)), i});
    i = end;
  }
  return words;
}

namespace {

class Expander {
 public:
  Expander(const Variables& variables, char escape) : m_variables(variables), m_escape(escape) {}

  // Expands all of `s`; `quoted`: as inside double quotes.
  std::string run(std::string_view s, bool quoted) {
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
      const char c = s[i];
      const char next = i + 1 < s.size() ? s[i + 1] : '\0';
      if (c == m_escape) {
        if (next == '\n') {
          i += 2;
        } else if (!quoted || std::string_view("$`\"").find(next) != std::string_view::npos ||
                   next == m_escape) {
          if (i + 1 < s.size()) out += next;
          i += 2;
        } else {
          out += c;
          ++i;
        }
      } else if (c == '\'' && !quoted) {
        const std::size_t end = skip_single(s, i);
        const std::size_t body_end = end > i + 1 && s[end - 1] == '\'' ? end - 1 : end;
        out.append(s.substr(i + 1, body_end - i - 1));
        i = end;
      } else if (c == '"' && !quoted) {
        const std::size_t end = skip_double(s, i, m_escape);
        const std::size_t body_end = end > i + 1 && s[end - 1] == '"' ? end - 1 : end;
        out += run(s.substr(i + 1, body_end - i - 1), true);
        i = end;
      } else if (c == '`') {
        const std::size_t end = skip_backtick(s, i, m_escape);
        unknown(fmt::format("{} is a command's output", s.substr(i, end - i)));
        i = end;
      } else if (c == '$') {
        i = substitute(s, i, out);
      } else if ((c == '<' || c == '>') && next == '(' && !quoted) {
        const std::size_t end = skip_nested(s, i + 1, '(', ')', m_escape);
        unknown(fmt::format("{} is a command's output", s.substr(i, end - i)));
        i = end;
      } else {
        out += c;
        ++i;
      }
    }
    return out;
  }

  Problem problem() const { return m_problem; }
  const std::string& why() const { return m_why; }

 private:
  void unknown(std::string why, Problem problem = Problem::unknown) {
    if (m_problem == Problem::none ||
        (problem == Problem::syntax && m_problem != Problem::syntax)) {
      m_problem = problem;
      m_why = std::move(why);
    }
  }

  // The value of NAME, or nothing (and the reason recorded) when unknown.
  std::optional<std::string> lookup(std::string_view name, bool record) {
    const Value* value = m_variables.find(name);
    if (!value) {
      if (record) unknown(fmt::format("${} is not set in the Dockerfile", name));
      return std::nullopt;
    }
    if (!value->text) {
      if (record) unknown(fmt::format("${} has no value ({})", name, value->unknown_because));
      return std::nullopt;
    }
    return value->text;
  }

  // `$` at s[i]: appends the value, returns the index after the reference.
  std::size_t substitute(std::string_view s, std::size_t i, std::string& out) {
    static const RE2 name(R"(^\$([A-Za-z_][A-Za-z0-9_]*))");
    static const RE2 braced(R"(^\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-+?=])?)");
    static const RE2 special(R"(^\$([0-9@*#?$!-]))");
    const std::string_view rest = s.substr(i);
    const char next = rest.size() > 1 ? rest[1] : '\0';
    re2::StringPiece var, op;
    if (next == '(') {
      const std::size_t end = skip_nested(s, i + 1, '(', ')', m_escape);
      unknown(fmt::format("{} is a command's output", s.substr(i, end - i)));
      return end;
    }
    if (next == '{') {
      const std::size_t end = skip_nested(s, i + 1, '{', '}', m_escape);
      const std::string_view whole = s.substr(i, end - i);
      if (whole.back() != '}' || end > s.size()) {
        unknown(fmt::format("missing '}}' in '{}'", whole), Problem::syntax);
        return end;
      }
      if (!RE2::PartialMatch(piece(whole), braced, &var, &op)) {
        unknown(fmt::format("'{}' is not a substitution driftlock reads", whole));
        return end;
      }
      const std::string_view v(var.data(), var.size());
      const std::size_t head = 2 + var.size() + op.size();
      if (op.empty() && head + 1 != whole.size()) {
        unknown(fmt::format("'{}' is not a substitution driftlock reads", whole));
        return end;
      }
      if (op.empty()) {
        if (auto value = lookup(v, true)) out += *value;
        return end;
      }
      const std::string_view word = whole.substr(head, whole.size() - head - 1);
      const std::string_view o(op.data(), op.size());
      const bool colon = o.front() == ':';
      const char kind = o.back();
      const Value* declared = m_variables.find(v);
      const std::optional<std::string> value = lookup(v, false);
      const bool set = value && (!colon || !value->empty());
      switch (kind) {
        case '-':
        case '=':
          out += set ? *value : run(word, true);
          break;
        case '+':
          if (set) {
            out += run(word, true);
          } else if (declared && !value) {
            lookup(v, true);
          }
          break;
        default:  // '?'
          if (set) {
            out += *value;
          } else {
            lookup(v, true);
            if (value) unknown(fmt::format("${} is empty", v));
          }
          break;
      }
      return end;
    }
    if (RE2::PartialMatch(piece(rest), name, &var)) {
      if (auto value = lookup(std::string_view(var.data(), var.size()), true)) out += *value;
      return i + 1 + var.size();
    }
    if (RE2::PartialMatch(piece(rest), special, &var)) {
      unknown(
          fmt::format("${} is set only when the command runs", std::string_view(var.data(), 1)));
      return i + 2;
    }
    out += '$';
    return i + 1;
  }

  const Variables& m_variables;
  char m_escape;
  Problem m_problem = Problem::none;
  std::string m_why;
};

}  // namespace

Word expand(const RawWord& word, const Variables& variables, char escape) {
  Expander expander(variables, escape);
  Word out;
  out.text = expander.run(word.text, false);
  out.raw = word.text;
  out.offset = word.offset;
  out.problem = expander.problem();
  out.why = expander.why();
  return out;
}

}  // namespace driftlock::init
