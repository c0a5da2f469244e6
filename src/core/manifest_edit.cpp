#include "core/manifest_edit.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "core/manifest_text.hpp"
#include "core/suggest.hpp"

namespace driftlock {
namespace {

using manifest_detail::printable;
using manifest_detail::toml_key;

// ---- A TOML tokenizer just fine enough to find one dependency's value -------
// The text has already been parsed by toml++, so it is valid TOML: the
// tokenizer only has to keep strings and comments apart from the structure.

enum class TokenKind { newline, space, comment, string, word, punct };

struct Token {
  TokenKind kind;
  std::size_t begin;  // byte offsets into the text
  std::size_t end;
};

bool is_punct(char c) {
  return c == '[' || c == ']' || c == '{' || c == '}' || c == '=' || c == '.' || c == ',';
}

bool ends_word(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '#' || c == '"' || c == '\'' ||
         is_punct(c);
}

// One past the closing quote of the string opening at `i` (any of the four kinds).
std::size_t string_end(std::string_view text, std::size_t i) {
  const char quote = text[i];
  const bool multi = text.substr(i).starts_with(quote == '"' ? "\"\"\"" : "'''");
  std::size_t j = i + (multi ? 3 : 1);
  while (j < text.size()) {
    const char c = text[j];
    if (quote == '"' && c == '\\') {
      j += 2;
    } else if (!multi && c == '\n') {
      return j;
    } else if (c != quote) {
      ++j;
    } else if (!multi) {
      return j + 1;
    } else {
      // A multi-line string may end with up to two quotes before its delimiter.
      std::size_t run = 0;
      while (j + run < text.size() && text[j + run] == quote) ++run;
      j += run;
      if (run >= 3) return j;
    }
  }
  return text.size();
}

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  auto push = [&](TokenKind kind, std::size_t end) {
    tokens.push_back({kind, i, end});
    i = end;
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      push(TokenKind::newline, i + 1);
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      push(TokenKind::newline, i + 2);
    } else if (c == ' ' || c == '\t' || c == '\r') {
      push(TokenKind::space, i + 1);
    } else if (c == '#') {
      std::size_t end = std::min(text.find('\n', i), text.size());
      if (text[end - 1] == '\r') --end;
      push(TokenKind::comment, end);
    } else if (c == '"' || c == '\'') {
      push(TokenKind::string, string_end(text, i));
    } else if (is_punct(c)) {
      push(TokenKind::punct, i + 1);
    } else {
      std::size_t end = i;
      while (end < text.size() && !ends_word(text[end])) ++end;
      push(TokenKind::word, end);
    }
  }
  return tokens;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// What a key token means: bare as written, a literal string's inside, a basic
// string with its escapes applied; nullopt for anything that is not a key.
std::optional<std::string> key_of(std::string_view text, const Token& token) {
  const std::string_view s = text.substr(token.begin, token.end - token.begin);
  if (token.kind == TokenKind::word) return std::string(s);
  if (token.kind != TokenKind::string || s.size() < 2 || s.starts_with("\"\"\"") ||
      s.starts_with("'''")) {
    return std::nullopt;
  }
  const std::string_view inner = s.substr(1, s.size() - 2);
  if (s[0] == '\'') return std::string(inner);
  std::string out;
  for (std::size_t i = 0; i < inner.size(); ++i) {
    if (inner[i] != '\\') {
      out += inner[i];
      continue;
    }
    if (++i >= inner.size()) return std::nullopt;
    switch (inner[i]) {
      case 'b':
        out += '\b';
        break;
      case 't':
        out += '\t';
        break;
      case 'n':
        out += '\n';
        break;
      case 'f':
        out += '\f';
        break;
      case 'r':
        out += '\r';
        break;
      case 'e':
        out += '\x1b';
        break;
      case '"':
      case '\\':
        out += inner[i];
        break;
      case 'u':
      case 'U': {
        const std::size_t digits = inner[i] == 'u' ? 4 : 8;
        if (inner.size() - (i + 1) < digits) return std::nullopt;
        std::uint32_t cp = 0;
        const char* first = inner.data() + i + 1;
        auto [end, ec] = std::from_chars(first, first + digits, cp, 16);
        if (ec != std::errc() || end != first + digits) return std::nullopt;
        append_utf8(out, static_cast<char32_t>(cp));
        i += digits;
        break;
      }
      default:
        return std::nullopt;
    }
  }
  return out;
}

// A key, possibly dotted; token indices [begin, end).
struct Key {
  std::vector<std::string> parts;
  std::size_t begin = 0;
  std::size_t end = 0;

  bool is(std::string_view name) const { return parts.size() == 1 && parts[0] == name; }
};

// key = value; token indices, value [value_begin, value_end).
struct Pair {
  Key key;
  std::size_t value_begin = 0;
  std::size_t value_end = 0;
};

struct InlineTable {
  std::size_t open = 0;  // the '{' and '}' tokens
  std::size_t close = 0;
  std::vector<Pair> pairs;
};

// A pair on its own line in a [table]: bytes [line_begin, line_end) are the
// whole line with its comment and line break.
struct LinePair {
  Pair pair;
  std::size_t line_begin = 0;
  std::size_t line_end = 0;
};

class Lexed {
 public:
  explicit Lexed(std::string_view text) : m_text(text), m_tokens(tokenize(text)) {}

  std::string_view text() const { return m_text; }
  std::size_t size() const { return m_tokens.size(); }
  const Token& operator[](std::size_t i) const { return m_tokens[i]; }
  std::string_view view(std::size_t i) const {
    return m_text.substr(m_tokens[i].begin, m_tokens[i].end - m_tokens[i].begin);
  }
  // The bytes of tokens [begin, end).
  std::string_view span(std::size_t begin, std::size_t end) const {
    return m_text.substr(m_tokens[begin].begin, m_tokens[end - 1].end - m_tokens[begin].begin);
  }
  bool is(std::size_t i, char punct) const {
    return i < size() && m_tokens[i].kind == TokenKind::punct && m_text[m_tokens[i].begin] == punct;
  }
  bool is(std::size_t i, TokenKind kind) const { return i < size() && m_tokens[i].kind == kind; }

  // The first token at or after `i` that is not a space (line breaks and comments count).
  std::size_t skip_space(std::size_t i) const {
    while (is(i, TokenKind::space)) ++i;
    return i;
  }
  // Also past line breaks and comments, where an inline table may have them (TOML 1.1).
  std::size_t skip_blank(std::size_t i) const {
    while (is(i, TokenKind::space) || is(i, TokenKind::newline) || is(i, TokenKind::comment)) ++i;
    return i;
  }

  // The token starting at byte `offset`, if any.
  std::optional<std::size_t> token_at(std::size_t offset) const {
    for (std::size_t i = 0; i < size(); ++i) {
      if (m_tokens[i].begin == offset) return i;
      if (m_tokens[i].begin > offset) break;
    }
    return std::nullopt;
  }

  std::optional<Key> parse_key(std::size_t i) const {
    Key key;
    key.begin = i;
    while (true) {
      if (i >= size()) return std::nullopt;
      auto part = key_of(m_text, m_tokens[i]);
      if (!part) return std::nullopt;
      key.parts.push_back(std::move(*part));
      key.end = i + 1;
      const std::size_t dot = skip_space(i + 1);
      if (!is(dot, '.')) return key;
      i = skip_space(dot + 1);
    }
  }

  // One past the last token of the value starting at `i`: it ends at a ',' or
  // closing bracket of its own level, or at a line break or comment outside brackets.
  std::size_t value_end(std::size_t i) const {
    int depth = 0;
    std::size_t last = i;
    for (std::size_t j = i; j < size(); ++j) {
      const Token& t = m_tokens[j];
      if (t.kind == TokenKind::space) continue;
      if (depth == 0 && (t.kind == TokenKind::newline || t.kind == TokenKind::comment)) break;
      if (t.kind == TokenKind::punct) {
        const char c = m_text[t.begin];
        if (c == '[' || c == '{') {
          ++depth;
        } else if (c == ']' || c == '}') {
          if (depth == 0) break;
          --depth;
        } else if (c == ',' && depth == 0) {
          break;
        }
      }
      last = j;
    }
    return last + 1;
  }

  std::optional<Pair> parse_pair(std::size_t i) const {
    auto key = parse_key(i);
    if (!key) return std::nullopt;
    const std::size_t equals = skip_space(key->end);
    if (!is(equals, '=')) return std::nullopt;
    const std::size_t value = skip_space(equals + 1);
    if (value >= size() || is(value, TokenKind::newline) || is(value, TokenKind::comment)) {
      return std::nullopt;
    }
    return Pair{std::move(*key), value, value_end(value)};
  }

  std::optional<InlineTable> parse_inline_table(std::size_t open) const {
    InlineTable table;
    table.open = open;
    std::size_t i = skip_blank(open + 1);
    while (!is(i, '}')) {
      auto pair = parse_pair(i);
      if (!pair) return std::nullopt;
      i = skip_blank(pair->value_end);
      table.pairs.push_back(std::move(*pair));
      if (is(i, ',')) {
        i = skip_blank(i + 1);
      } else if (!is(i, '}')) {
        return std::nullopt;
      }
    }
    table.close = i;
    return table;
  }

  // The key/value lines of the table whose header ends with the line break at
  // token `newline`, up to the next header.
  std::optional<std::vector<LinePair>> parse_table_body(std::size_t newline) const {
    std::vector<LinePair> lines;
    std::size_t i = newline + 1;
    while (i < size()) {
      const std::size_t line_begin = m_tokens[i].begin;
      std::size_t j = skip_space(i);
      if (j >= size()) break;
      if (is(j, TokenKind::comment)) j = skip_space(j + 1);
      if (j >= size()) break;
      if (is(j, TokenKind::newline)) {
        i = j + 1;
        continue;
      }
      if (is(j, '[')) break;  // the next table
      auto pair = parse_pair(j);
      if (!pair) return std::nullopt;
      std::size_t k = skip_space(pair->value_end);
      if (is(k, TokenKind::comment)) k = skip_space(k + 1);
      if (k < size() && !is(k, TokenKind::newline)) return std::nullopt;
      const std::size_t line_end = k < size() ? m_tokens[k].end : m_text.size();
      lines.push_back({std::move(*pair), line_begin, line_end});
      i = k + 1;
    }
    return lines;
  }

 private:
  std::string_view m_text;
  std::vector<Token> m_tokens;
};

// How the dependency is written.
enum class Form {
  string,        // name = "range"
  inline_table,  // name = { range = "range", hold = "1.0" }
  table,         // [dependencies.eco.name] followed by key = value lines
};

struct Located {
  Form form = Form::string;
  std::size_t value = 0;        // string: the value token
  InlineTable table;            // inline_table
  std::vector<LinePair> lines;  // table: its key/value lines
  std::size_t header_end = 0;   // table: byte offset after the header line
  std::string newline = "\n";   // table: the header line's line break
};

std::string label(const DependencySpec& spec) {
  return fmt::format("[dependencies.{}] {}", spec.ecosystem, toml_key(spec.name));
}

// The byte offset of a 1-based line and codepoint column (toml++ counts codepoints).
std::optional<std::size_t> offset_of(std::string_view text, int line, int column) {
  std::size_t at = 0;
  for (int l = 1; l < line; ++l) {
    at = text.find('\n', at);
    if (at == std::string_view::npos) return std::nullopt;
    ++at;
  }
  for (int c = 1; c < column; ++c) {
    if (at >= text.size() || text[at] == '\n') return std::nullopt;
    ++at;
    while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;
  }
  return at;
}

// The name's key token: at the parser's location, or else the one token on
// that line that spells the name (should columns ever be counted differently).
std::optional<std::size_t> find_name(const Lexed& lexed, const DependencySpec& spec) {
  const std::string_view text = lexed.text();
  auto is_name = [&](std::size_t i) { return key_of(text, lexed[i]) == spec.name; };
  if (auto offset = offset_of(text, spec.location.line, spec.location.column)) {
    if (auto at = lexed.token_at(*offset); at && is_name(*at)) return at;
  }
  auto line_begin = offset_of(text, spec.location.line, 1);
  auto first = line_begin ? lexed.token_at(*line_begin) : std::nullopt;
  if (!first) return std::nullopt;
  std::optional<std::size_t> found;
  for (std::size_t i = *first; i < lexed.size() && !lexed.is(i, TokenKind::newline); ++i) {
    if (!is_name(i)) continue;
    if (found) return std::nullopt;
    found = i;
  }
  return found;
}

Result<Located> locate(const Lexed& lexed, const DependencySpec& spec) {
  auto cannot = [&](std::string_view why) {
    return fail_at(spec.location, fmt::format("cannot edit {}: {}", label(spec), why));
  };
  auto name = find_name(lexed, spec);
  if (!name) return cannot("its name was not found where the manifest parser saw it");

  Located at;
  const std::size_t next = lexed.skip_space(*name + 1);
  if (lexed.is(next, '.')) {
    return cannot(fmt::format(
        "it is written with dotted keys ({0}.range = ...); write it as {0} = {{ range = ... }} "
        "to pin or unpin it",
        toml_key(spec.name)));
  }
  if (lexed.is(next, '=')) {
    const std::size_t value = lexed.skip_space(next + 1);
    if (lexed.is(value, TokenKind::string) && lexed.value_end(value) == value + 1) {
      at.form = Form::string;
      at.value = value;
      return at;
    }
    if (lexed.is(value, '{')) {
      auto table = lexed.parse_inline_table(value);
      if (!table) return cannot("its inline table has a layout this editor does not follow");
      at.form = Form::inline_table;
      at.table = std::move(*table);
      return at;
    }
    return cannot("its value is neither a string nor an inline table");
  }
  if (lexed.is(next, ']')) {
    // A [dependencies.eco.name] header: the table is the lines below it.
    std::size_t end = lexed.skip_space(next + 1);
    if (lexed.is(end, TokenKind::comment)) end = lexed.skip_space(end + 1);
    at.form = Form::table;
    if (end >= lexed.size()) {
      at.header_end = lexed.text().size();
      return at;
    }
    if (!lexed.is(end, TokenKind::newline)) {
      return cannot("its table header is not on a line of its own");
    }
    at.header_end = lexed[end].end;
    at.newline = std::string(lexed.view(end));
    auto lines = lexed.parse_table_body(end);
    if (!lines) return cannot("its table has a layout this editor does not follow");
    at.lines = std::move(*lines);
    return at;
  }
  return cannot("its layout is not one this editor follows");
}

const Pair* find_pair(const std::vector<Pair>& pairs, std::string_view key) {
  for (const Pair& p : pairs) {
    if (p.key.is(key)) return &p;
  }
  return nullptr;
}

const LinePair* find_line(const std::vector<LinePair>& lines, std::string_view key) {
  for (const LinePair& l : lines) {
    if (l.pair.key.is(key)) return &l;
  }
  return nullptr;
}

// The bytes between a pair's key and its value (" = ", "="), so added keys
// look like the ones already there.
std::string equals_of(const Lexed& lexed, const Pair& pair) {
  const std::size_t from = lexed[pair.key.end - 1].end;
  return std::string(lexed.text().substr(from, lexed[pair.value_begin].begin - from));
}

struct Span {
  std::size_t begin;  // bytes
  std::size_t end;
};

Span value_span(const Lexed& lexed, const Pair& pair) {
  return {lexed[pair.value_begin].begin, lexed[pair.value_end - 1].end};
}

std::string replaced(std::string_view text, Span span, std::string_view with) {
  std::string out(text.substr(0, span.begin));
  out += with;
  out += text.substr(span.end);
  return out;
}

// Parses the edited text and checks it says what `before` said, except for
// `target`'s hold, which must now be `hold`; nothing is written otherwise.
Result<void> verify(std::string_view edited, const Manifest& before, const DependencySpec& target,
                    const std::optional<std::string>& hold, EcosystemTable ecosystems) {
  const std::string unchanged =
      fmt::format("{} is left unchanged: edit it by hand", before.path.string());
  auto after = parse_manifest(edited, before.path, ecosystems);
  if (!after) {
    const Error& e = after.error();
    std::string where = e.location ? fmt::format("line {}: ", e.location->line) : "";
    return fail_at(target.location, fmt::format("cannot edit {}: the edited manifest would not "
                                                "parse ({}{}); {}",
                                                label(target), where, e.message, unchanged));
  }
  bool same = after->image == before.image && after->snapshot == before.snapshot &&
              after->dependencies.size() == before.dependencies.size();
  for (std::size_t i = 0; same && i < before.dependencies.size(); ++i) {
    const DependencySpec& a = before.dependencies[i];
    const DependencySpec& b = after->dependencies[i];
    const bool is_target = a.ecosystem == target.ecosystem && a.name == target.name;
    same = a.ecosystem == b.ecosystem && a.name == b.name && a.range == b.range &&
           a.prereleases == b.prereleases && a.key == b.key &&
           b.hold == (is_target ? hold : a.hold);
  }
  if (!same) {
    return fail_at(
        target.location,
        fmt::format("cannot edit {}: the edited manifest would not say what was asked; {}",
                    label(target), unchanged));
  }
  return {};
}

// A name with case and the separators PyPI treats as equal ('_', '.', '-') folded.
std::string folded(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c == '_' || c == '.' ? '-' : c;
    }
  }
  return out;
}

}  // namespace

Result<PinRequest> parse_pin_argument(std::string_view argument) {
  const std::size_t colon = argument.find(':');
  const std::size_t equals = argument.rfind('=');
  if (colon == std::string_view::npos || equals == std::string_view::npos || equals < colon ||
      colon == 0 || equals == colon + 1 || equals + 1 == argument.size()) {
    return fail(ErrorKind::usage,
                fmt::format("pin: expected ECO:NAME=VERSION (e.g. npm:chalk=4.1.2), not '{}'",
                            printable(argument)));
  }
  return PinRequest{{std::string(argument.substr(0, colon)),
                     std::string(argument.substr(colon + 1, equals - colon - 1))},
                    std::string(argument.substr(equals + 1))};
}

Result<DependencyRef> parse_unpin_argument(std::string_view argument) {
  const std::size_t colon = argument.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == argument.size()) {
    return fail(ErrorKind::usage, fmt::format("unpin: expected ECO:NAME (e.g. npm:chalk), not '{}'",
                                              printable(argument)));
  }
  // No ecosystem allows '=' in a name: "npm:chalk=4.1.2" is a pin's argument.
  if (argument.find('=', colon) != std::string_view::npos) {
    return fail(
        ErrorKind::usage,
        fmt::format("unpin: expected ECO:NAME without a version, not '{}'", printable(argument)));
  }
  return DependencyRef{std::string(argument.substr(0, colon)),
                       std::string(argument.substr(colon + 1))};
}

Result<const DependencySpec*> find_dependency(const Manifest& manifest, const DependencyRef& ref,
                                              EcosystemTable ecosystems) {
  if (!find_ecosystem(ecosystems, ref.ecosystem)) {
    std::vector<std::string_view> names;
    for (const Ecosystem& e : ecosystems) names.push_back(e.name);
    std::string hint = did_you_mean(ref.ecosystem, names);
    if (hint.empty()) hint = fmt::format(" (expected one of: {})", fmt::join(names, ", "));
    return fail(ErrorKind::usage,
                fmt::format("unknown ecosystem '{}'{}", printable(ref.ecosystem), hint));
  }
  std::vector<std::string_view> names;
  for (const DependencySpec& d : manifest.dependencies) {
    if (d.ecosystem != ref.ecosystem) continue;
    if (d.name == ref.name) return &d;
    names.push_back(d.name);
  }
  std::string hint = did_you_mean(ref.name, names);
  // PyYAML for pyyaml: too far apart for an edit-distance typo, yet surely meant.
  for (std::string_view candidate : names) {
    if (hint.empty() && folded(candidate) == folded(ref.name)) {
      hint = fmt::format(" (did you mean '{}'?)", candidate);
    }
  }
  if (hint.empty()) hint = fmt::format(" (add it to [dependencies.{}] first)", ref.ecosystem);
  return fail_input(fmt::format("{} has no {} dependency '{}'{}", manifest.path.string(),
                                ref.ecosystem, printable(ref.name), hint));
}

Result<std::string> pin_version(const DependencySpec& spec, std::string_view version,
                                EcosystemTable ecosystems) {
  const Ecosystem* ecosystem = find_ecosystem(ecosystems, spec.ecosystem);
  const VersionScheme* scheme = ecosystem ? ecosystem->scheme : nullptr;
  if (!scheme) return std::string(version);
  auto normalized = scheme->normalize(version);
  if (!normalized) {
    return fail_input(
        fmt::format("cannot pin {} {}: {}", spec.ecosystem, spec.name, normalized.error().message));
  }
  auto inside = scheme->satisfies(spec.range, *normalized, Prereleases::include);
  if (!inside) {
    return fail_input(
        fmt::format("cannot pin {} {}: {}", spec.ecosystem, spec.name, inside.error().message));
  }
  if (!*inside) {
    return fail_input(
        fmt::format("cannot pin {} {} at {}: outside its range '{}' (widen the "
                    "range first)",
                    spec.ecosystem, spec.name, *normalized, printable(spec.range)));
  }
  return std::move(*normalized);
}

Result<std::string> set_hold(std::string_view text, const Manifest& manifest,
                             const DependencySpec& spec, std::string_view hold,
                             EcosystemTable ecosystems) {
  const Lexed lexed(text);
  auto at = locate(lexed, spec);
  if (!at) return std::unexpected(std::move(at.error()));
  const std::string value = manifest_detail::toml_string(hold);
  std::string out;
  switch (at->form) {
    case Form::string: {
      const Token& range = lexed[at->value];
      out = replaced(text, {range.begin, range.end},
                     fmt::format("{{ range = {}, hold = {} }}", lexed.view(at->value), value));
      break;
    }
    case Form::inline_table: {
      const InlineTable& table = at->table;
      if (const Pair* pair = find_pair(table.pairs, "hold")) {
        out = replaced(text, value_span(lexed, *pair), value);
      } else if (table.pairs.empty()) {
        out = replaced(text, {lexed[table.open].end, lexed[table.close].begin},
                       fmt::format(" hold = {} ", value));
      } else {
        const std::size_t after = value_span(lexed, table.pairs.back()).end;
        out = replaced(text, {after, after},
                       fmt::format(", hold{}{}", equals_of(lexed, table.pairs.front()), value));
      }
      break;
    }
    case Form::table: {
      if (const LinePair* line = find_line(at->lines, "hold")) {
        out = replaced(text, value_span(lexed, line->pair), value);
        break;
      }
      // A new line after the table's last key, indented and spaced like the first.
      std::string indent, equals = " = ";
      std::size_t where = at->header_end;
      if (!at->lines.empty()) {
        const LinePair& first = at->lines.front();
        indent =
            text.substr(first.line_begin, lexed[first.pair.key.begin].begin - first.line_begin);
        equals = equals_of(lexed, first.pair);
        where = at->lines.back().line_end;
      }
      std::string line = fmt::format("{}hold{}{}{}", indent, equals, value, at->newline);
      if (where == text.size() && !text.empty() && text.back() != '\n') {
        line = at->newline + line.substr(0, line.size() - at->newline.size());
      }
      out = replaced(text, {where, where}, line);
      break;
    }
  }
  if (auto ok = verify(out, manifest, spec, std::string(hold), ecosystems); !ok) {
    return std::unexpected(std::move(ok.error()));
  }
  return out;
}

Result<std::string> remove_hold(std::string_view text, const Manifest& manifest,
                                const DependencySpec& spec, EcosystemTable ecosystems) {
  if (!spec.hold) return std::string(text);
  const Lexed lexed(text);
  auto at = locate(lexed, spec);
  if (!at) return std::unexpected(std::move(at.error()));
  auto no_hold = [&] {
    return fail_at(spec.location,
                   fmt::format("cannot edit {}: its hold was not found in the text", label(spec)));
  };
  std::string out;
  switch (at->form) {
    case Form::string:
      return no_hold();
    case Form::inline_table: {
      const std::vector<Pair>& pairs = at->table.pairs;
      const Pair* hold = find_pair(pairs, "hold");
      if (!hold) return no_hold();
      const std::size_t h = static_cast<std::size_t>(hold - pairs.data());
      const Span table{lexed[at->table.open].begin, lexed[at->table.close].end};
      if (pairs.size() == 2 && pairs[1 - h].key.is("range")) {
        // { range = X } says no more than X: give back the plain form pin started from.
        out = replaced(text, table, lexed.span(pairs[1 - h].value_begin, pairs[1 - h].value_end));
      } else if (pairs.size() == 1) {
        out = replaced(text, table, "{}");
      } else if (h > 0) {
        out =
            replaced(text, {value_span(lexed, pairs[h - 1]).end, value_span(lexed, *hold).end}, "");
      } else {
        out = replaced(text, {lexed[hold->key.begin].begin, lexed[pairs[1].key.begin].begin}, "");
      }
      break;
    }
    case Form::table: {
      const LinePair* line = find_line(at->lines, "hold");
      if (!line) return no_hold();
      out = replaced(text, {line->line_begin, line->line_end}, "");
      break;
    }
  }
  if (auto ok = verify(out, manifest, spec, std::nullopt, ecosystems); !ok) {
    return std::unexpected(std::move(ok.error()));
  }
  return out;
}

}  // namespace driftlock
