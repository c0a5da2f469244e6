#include "core/manifest_text.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace driftlock::manifest_detail {

std::optional<std::size_t> find_excessive_nesting(std::string_view text) {
  int dots = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '\n') {
      dots = 0;
      ++i;
    } else if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '"' || c == '\'') {
      const bool multi = i + 2 < text.size() && text[i + 1] == c && text[i + 2] == c;
      i += multi ? 3 : 1;
      while (i < text.size()) {
        if (c == '"' && text[i] == '\\') {
          i += 2;
        } else if (text[i] == '\n') {
          if (!multi) break;  // unterminated; toml++ reports it
          dots = 0;
          ++i;
        } else if (text[i] == c) {
          std::size_t run = 0;
          while (i + run < text.size() && text[i + run] == c) ++run;
          // A multi-line string may end with up to two quotes before its delimiter.
          if (!multi) {
            ++i;
            break;
          }
          i += run;
          if (run >= 3) break;
        } else {
          ++i;
        }
      }
    } else {
      if (c == '.' && ++dots > kMaxDotsPerLine) return i;
      ++i;
    }
  }
  return std::nullopt;
}

std::string printable(std::string_view s) {
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out += c;
    }
  }
  return out;
}

std::string toml_string(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\u{:04X}", u);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string toml_key(std::string_view key) {
  bool bare = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
  if (bare) return std::string(key);
  std::string out = "\"";
  for (char c : printable(key)) {
    if (c == '"') out += '\\';
    out += c;
  }
  return out + "\"";
}

namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

bool is_safe_name(std::string_view s, std::string_view extra) {
  if (s.empty() || !is_alnum(s[0])) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return is_alnum(c) || extra.find(c) != std::string_view::npos;
  });
}

bool is_env_key(std::string_view s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace driftlock::manifest_detail
