#include "net/netrc.hpp"

#include <vector>

#include "net/http_text.hpp"

namespace driftlock::net {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Splits netrc text into words; a word may be "double quoted" with
// backslash escapes. `macdef NAME` swallows its body up to an empty line.
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < text.size()) {
    if (is_space(text[i])) {
      ++i;
      continue;
    }
    if (text[i] == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    std::string word;
    if (text[i] == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        word += text[i];
      }
      ++i;
    } else {
      while (i < text.size() && !is_space(text[i])) word += text[i++];
    }
    const bool macro = word == "macdef";
    words.push_back(std::move(word));
    if (macro) {
      // The name, then the body up to the first empty line.
      while (i < text.size() && text[i] != '\n') ++i;
      while (i < text.size()) {
        const std::size_t end = text.find('\n', i + 1);
        if (end == std::string_view::npos) {
          i = text.size();
          break;
        }
        const bool empty = end == i + 1;
        i = end;
        if (empty) break;
      }
    }
  }
  return words;
}

}  // namespace

std::optional<NetrcEntry> netrc_entry(std::string_view text, std::string_view host) {
  const std::vector<std::string> words = words_of(text);
  std::optional<NetrcEntry> current;
  bool is_default = false;
  auto matches = [&] {
    return current && !is_default && equals_ignore_case(current->machine, host);
  };
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    const bool has_value = i + 1 < words.size();
    if (word == "machine" || word == "default") {
      if (matches()) return current;
      current = NetrcEntry{};
      is_default = word == "default";
      if (!is_default && has_value) current->machine = words[++i];
    } else if (word == "login" && has_value && current) {
      current->login = words[++i];
    } else if (word == "password" && has_value && current) {
      current->password = words[++i];
    } else if (word == "account" && has_value) {
      ++i;
    } else if (word == "macdef") {
      if (matches()) return current;
      current.reset();
    }
  }
  if (matches()) return current;
  return std::nullopt;
}

}  // namespace driftlock::net
