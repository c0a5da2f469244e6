#include "core/error.hpp"

#include <fmt/format.h>

namespace driftlock {

int exit_code(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::usage:
    case ErrorKind::input:
      return 2;
    case ErrorKind::infrastructure:
      return 3;
  }
  return 3;
}

std::string render(const Error& error) {
  if (!error.location) return error.message;
  const SourceLocation& loc = *error.location;
  std::string out = fmt::format("{}:{}:{}: {}", loc.path, loc.line, loc.column, error.message);
  if (!loc.line_text.empty()) {
    // Tabs are kept so the caret lines up with the text as a terminal shows it.
    std::string pad;
    for (int i = 0; i + 1 < loc.column && i < static_cast<int>(loc.line_text.size()); ++i) {
      pad += loc.line_text[static_cast<std::size_t>(i)] == '\t' ? '\t' : ' ';
    }
    out += fmt::format("\n  {}\n  {}^", loc.line_text, pad);
  }
  return out;
}

SourceLocation locate(std::string path, std::string_view text, std::size_t offset) {
  if (offset > text.size()) offset = text.size();
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  std::size_t line_end = text.find('\n', line_start);
  if (line_end == std::string_view::npos) line_end = text.size();
  std::string_view line_text = text.substr(line_start, line_end - line_start);
  if (!line_text.empty() && line_text.back() == '\r') line_text.remove_suffix(1);
  return SourceLocation{std::move(path), line, static_cast<int>(offset - line_start) + 1,
                        std::string(line_text)};
}

SourceLocation locate_line(std::string path, std::string_view text, int line, int column) {
  std::size_t start = 0;
  for (int l = 1; l < line && start < text.size(); ++l) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      start = text.size();
      break;
    }
    start = nl + 1;
  }
  std::size_t end = text.find('\n', start);
  if (end == std::string_view::npos) end = text.size();
  std::string_view line_text = text.substr(start, end - start);
  if (!line_text.empty() && line_text.back() == '\r') line_text.remove_suffix(1);
  return SourceLocation{std::move(path), line, column, std::string(line_text)};
}

}  // namespace driftlock
