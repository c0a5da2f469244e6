#include "init/instructions.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "core/suggest.hpp"

namespace driftlock::init {
namespace {

constexpr std::array<std::string_view, 18> kKeywords = {
    "ADD",    "ARG",   "CMD",         "COPY",  "ENTRYPOINT", "ENV",
    "EXPOSE", "FROM",  "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD",
    "RUN",    "SHELL", "STOPSIGNAL",  "USER",  "VOLUME",     "WORKDIR"};

constexpr std::size_t kMaxSubstitutions = 1000;

struct Line {
  std::string_view text;  // without the newline and a trailing '\r'
  int number = 0;
};

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  int number = 1;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back({line, number++});
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

re2::StringPiece piece(std::string_view s) {
  return {s.data(), s.size()};
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int column_of(std::string_view line, std::string_view part) {
  return static_cast<int>(part.data() - line.data()) + 1;
}

// Reads the directives at the top of the file (BuildKit stops looking at the
// first line that is not one: a comment, a blank line or an instruction).
// Returns the index of the first line after them.
Result<std::size_t> read_directives(const std::vector<Line>& lines, const std::string& path,
                                    std::string_view text, char& escape) {
  static const RE2 directive(R"(^#[ \t]*([A-Za-z][A-Za-z0-9_-]*)[ \t]*=[ \t]*(.*?)[ \t]*$)");
  bool escape_seen = false;
  std::size_t i = 0;
  for (; i < lines.size(); ++i) {
    re2::StringPiece name, value;
    if (!RE2::FullMatch(piece(lines[i].text), directive, &name, &value)) break;
    const std::string key = lower(std::string_view(name.data(), name.size()));
    if (key != "escape" && key != "syntax" && key != "check") break;  // a comment
    if (key != "escape") continue;
    const std::string_view line = lines[i].text;
    const std::string_view v(value.data(), value.size());
    const int column = column_of(line, v);
    if (escape_seen) {
      return fail_at(locate_line(path, text, lines[i].number, column_of(line, {name.data(), 0})),
                     "the escape directive may appear only once");
    }
    escape_seen = true;
    if (v != "\\" && v != "`") {
      return fail_at(locate_line(path, text, lines[i].number, column),
                     fmt::format("escape must be '\\' or '`', not '{}'", v));
    }
    escape = v.front();
  }
  return i;
}

// The heredoc markers (`<<EOF`, `<<-"EOF"`) outside quotes in an
// instruction's arguments. A quote-aware loop finds where `<<` may start (a
// regular expression cannot skip quoted text and still report the position);
// re2 reads the marker there.
struct Marker {
  std::string delimiter;
  bool strip_tabs = false;
  std::size_t offset = 0;
};

std::vector<Marker> heredoc_markers(std::string_view arguments) {
  static const RE2 marker(R"(^<<(-?)[ \t]*["']?([A-Za-z_][A-Za-z0-9_]*)["']?)");
  std::vector<Marker> out;
  char quote = 0;
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    const char c = arguments[i];
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      continue;
    }
    if (c != '<') continue;
    if (arguments.substr(i, 3) == "<<<") {  // a here-string, not a heredoc
      i += 2;
      continue;
    }
    re2::StringPiece dash, word;
    const std::string_view rest = arguments.substr(i);
    if (RE2::PartialMatch(piece(rest), marker, &dash, &word)) {
      out.push_back({std::string(word.data(), word.size()), !dash.empty(), i});
      i += 1 + dash.size() + word.size();
    }
  }
  return out;
}

// Moves the spans of `joined` to describe `joined.substr(start)`.
std::vector<Span> spans_from(const std::vector<Span>& spans, std::size_t start) {
  std::vector<Span> out;
  for (std::size_t k = 0; k < spans.size(); ++k) {
    const std::size_t next = k + 1 < spans.size() ? spans[k + 1].offset : SIZE_MAX;
    if (next <= start) continue;
    Span span = spans[k];
    if (span.offset < start) {
      span.column += static_cast<int>(start - span.offset);
      span.offset = 0;
    } else {
      span.offset -= start;
    }
    out.push_back(span);
  }
  return out;
}

}  // namespace

Position position_in(const std::vector<Span>& spans, std::size_t offset) {
  if (spans.empty()) return {};
  auto it = std::upper_bound(spans.begin(), spans.end(), offset,
                             [](std::size_t o, const Span& s) { return o < s.offset; });
  const Span& span = it == spans.begin() ? spans.front() : *(it - 1);
  const std::size_t delta = offset >= span.offset ? offset - span.offset : 0;
  return {span.line, span.column + static_cast<int>(delta)};
}

Position Instruction::position(std::size_t offset) const {
  return position_in(spans, offset);
}

Result<Instructions> read_instructions(std::string_view text, const std::string& path) {
  static const RE2 blank(R"(^[ \t]*$)");
  static const RE2 comment(R"(^[ \t]*#)");
  static const RE2 keyword(R"(^([ \t]*)([A-Za-z]+)(?:[ \t]+|$))");
  Instructions result;
  const std::vector<Line> lines = split_lines(text);
  auto first = read_directives(lines, path, text, result.escape);
  if (!first) return std::unexpected(first.error());
  // The escape character, then blanks, at the end of a line: the line goes on.
  const RE2 continued("^(.*)" + RE2::QuoteMeta(std::string(1, result.escape)) + "[ \t]*$");

  std::size_t i = *first;
  while (i < lines.size()) {
    if (RE2::FullMatch(piece(lines[i].text), blank) ||
        RE2::PartialMatch(piece(lines[i].text), comment)) {
      ++i;
      continue;
    }
    std::string joined;
    std::vector<Span> spans;
    const Line& start = lines[i];
    // Continuation lines: comment lines and blank lines inside an instruction
    // are skipped, as BuildKit does.
    for (bool first_line = true; i < lines.size(); first_line = false) {
      const Line& line = lines[i++];
      if (!first_line && (RE2::PartialMatch(piece(line.text), comment) ||
                          RE2::FullMatch(piece(line.text), blank))) {
        continue;
      }
      re2::StringPiece head;
      const bool goes_on = RE2::FullMatch(piece(line.text), continued, &head);
      spans.push_back({joined.size(), line.number, 1});
      if (goes_on) {
        joined.append(head.data(), head.size());
        continue;
      }
      joined.append(line.text);
      break;
    }

    re2::StringPiece indent, word;
    if (!RE2::PartialMatch(piece(joined), keyword, &indent, &word)) {
      const std::size_t column = joined.find_first_not_of(" \t");
      return fail_at(locate_line(path, text, start.number, static_cast<int>(column) + 1),
                     "expected an instruction (FROM, RUN, ...)");
    }
    Instruction instruction;
    instruction.keyword = upper(std::string_view(word.data(), word.size()));
    instruction.line = start.number;
    instruction.column = static_cast<int>(indent.size()) + 1;
    if (std::ranges::find(kKeywords, instruction.keyword) == kKeywords.end()) {
      const std::string_view w(word.data(), word.size());
      return fail_at(locate_line(path, text, start.number, instruction.column),
                     fmt::format("unknown instruction '{}'{}", w,
                                 did_you_mean(instruction.keyword, kKeywords)));
    }
    std::size_t args_start = static_cast<std::size_t>(word.data() - joined.data()) + word.size();
    while (args_start < joined.size() && (joined[args_start] == ' ' || joined[args_start] == '\t'))
      ++args_start;
    std::string_view arguments = std::string_view(joined).substr(args_start);
    while (!arguments.empty() && (arguments.back() == ' ' || arguments.back() == '\t'))
      arguments.remove_suffix(1);
    instruction.arguments = std::string(arguments);
    // Substitutions nest by recursion in the shell reader: bound them.
    std::size_t openers = 0;
    for (std::size_t k = 0; k + 1 < arguments.size(); ++k) {
      if (arguments[k] == '$' && (arguments[k + 1] == '(' || arguments[k + 1] == '{')) ++openers;
    }
    if (openers > kMaxSubstitutions) {
      return fail_at(locate_line(path, text, start.number, instruction.column),
                     fmt::format("more than {} substitutions in one instruction; not read",
                                 kMaxSubstitutions));
    }
    instruction.spans = spans_from(spans, args_start);

    if (instruction.keyword == "RUN" || instruction.keyword == "COPY" ||
        instruction.keyword == "ADD") {
      for (const Marker& marker : heredoc_markers(instruction.arguments)) {
        Heredoc heredoc;
        heredoc.delimiter = marker.delimiter;
        bool closed = false;
        while (i < lines.size()) {
          std::string_view body = lines[i].text;
          int column = 1;
          if (marker.strip_tabs) {
            while (!body.empty() && body.front() == '\t') {
              body.remove_prefix(1);
              ++column;
            }
          }
          const int number = lines[i++].number;
          if (body == marker.delimiter) {
            closed = true;
            break;
          }
          heredoc.spans.push_back({heredoc.body.size(), number, column});
          heredoc.body.append(body);
          heredoc.body += '\n';
        }
        if (!closed) {
          const Position at = instruction.position(marker.offset);
          return fail_at(locate_line(path, text, at.line, at.column),
                         fmt::format("heredoc '{}' is never closed (no line '{}' follows)",
                                     marker.delimiter, marker.delimiter));
        }
        instruction.heredocs.push_back(std::move(heredoc));
      }
    }
    result.list.push_back(std::move(instruction));
  }
  return result;
}

}  // namespace driftlock::init
