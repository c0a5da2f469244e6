#include "publish/markdown.hpp"

namespace driftlock::publish {

std::string markdown_cell(std::string_view text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
      case '\n':
      case '\r':
        out += ' ';
        break;
      case '<':
        out += "&lt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '|':
      case '\\':
      case '`':
      case '*':
      case '_':
      case '~':
      case '[':
      case ']':
        out += '\\';
        out += ch;
        break;
      default:
        out += ch;
    }
  }
  return out;
}

std::string markdown_code(std::string_view text) {
  std::string out;
  for (char ch : text) {
    if (ch == '|') {
      out += "\\|";
    } else if (ch == '\n' || ch == '\r') {
      out += ' ';
    } else if (ch == '`') {
      out += '\'';
    } else {
      out += ch;
    }
  }
  return out;
}

std::string markdown_code_list(const std::vector<std::string>& names) {
  if (names.empty()) return "-";
  std::string out;
  for (const std::string& name : names) {
    if (!out.empty()) out += ", ";
    out += "`" + markdown_code(name) + "`";
  }
  return out;
}

}  // namespace driftlock::publish
