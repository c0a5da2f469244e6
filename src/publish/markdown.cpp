#include "publish/markdown.hpp"

namespace driftlock::publish {

std::string markdown_cell(std::string_view text) {
  std::string out;
  for (char ch : text) {
    if (ch == '|')
      out += "\\|";
    else if (ch == '\n' || ch == '\r')
      out += ' ';
    else
      out += ch;
  }
  return out;
}

}  // namespace driftlock::publish
