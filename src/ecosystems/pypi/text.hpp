// Text helpers shared by the pypi version, specifier and name code.
#pragma once

#include <string>
#include <string_view>

namespace driftlock::ecosystems::pypi {

// The byte length of the whitespace character starting at text[pos], or 0.
// "Whitespace" is exactly what Python's str.isspace() accepts (and so what
// str.strip() and the regex \s remove), decoded from UTF-8.
std::size_t whitespace_length(std::string_view text, std::size_t pos);

// `text` without leading and trailing whitespace, like Python's str.strip().
std::string_view strip_whitespace(std::string_view text);

bool contains_whitespace(std::string_view text);

// `text` in single quotes for an error message. Printable ASCII stays as it is;
// quotes, backslashes, control bytes and everything non-ASCII are escaped
// (\t, \n, \r, \xNN, \uNNNN, \UNNNNNNNN) so a message is always one readable line.
std::string quote(std::string_view text);

// The first non-ASCII character of `text` (a whole UTF-8 sequence, or the
// single offending byte when the UTF-8 is broken); empty when all is ASCII.
std::string_view first_non_ascii(std::string_view text);

inline char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
inline bool is_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string ascii_lowercase(std::string_view text);

}  // namespace driftlock::ecosystems::pypi
