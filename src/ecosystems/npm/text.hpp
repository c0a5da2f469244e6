// Text helpers shared by the npm version, range and name code.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace driftlock::ecosystems::npm {

// The byte length of the JavaScript whitespace character (what `\s` and
// String#trim accept: ASCII blanks, U+00A0, U+1680, U+2000-U+200A, U+2028,
// U+2029, U+202F, U+205F, U+3000, U+FEFF) that starts at text[pos], or 0.
// node-semver runs on JavaScript strings, so these count as spaces there.
std::size_t js_space_length(std::string_view text, std::size_t pos);

// `text` without leading and trailing JavaScript whitespace (String#trim).
std::string_view js_trim(std::string_view text);

// The length of UTF-8 `text` in UTF-16 code units, as JavaScript's
// String#length counts it (node-semver's 256-character limit uses that).
std::size_t js_length(std::string_view text);

// `text` in single quotes for an error message: printable ASCII stays, a
// backslash or quote is escaped, every other byte becomes \xNN, and text past
// 100 bytes is cut with "...", so hostile input cannot garble a terminal.
std::string quote(std::string_view text);

inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
inline bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
// [a-zA-Z0-9-]: the characters of pre-release and build identifiers.
inline bool is_word(char c) {
  return is_digit(c) || is_letter(c) || c == '-';
}

}  // namespace driftlock::ecosystems::npm
