#include "ecosystems/npm/text.hpp"

#include <fmt/format.h>

namespace driftlock::ecosystems::npm {

namespace {

unsigned char byte_at(std::string_view text, std::size_t pos) {
  return pos < text.size() ? static_cast<unsigned char>(text[pos]) : 0;
}

}  // namespace

std::size_t js_space_length(std::string_view text, std::size_t pos) {
  const unsigned char c0 = byte_at(text, pos);
  if (c0 == ' ' || (c0 >= 0x09 && c0 <= 0x0d)) return 1;
  const unsigned char c1 = byte_at(text, pos + 1);
  const unsigned char c2 = byte_at(text, pos + 2);
  if (c0 == 0xc2 && c1 == 0xa0) return 2;                // U+00A0
  if (c0 == 0xe1 && c1 == 0x9a && c2 == 0x80) return 3;  // U+1680
  if (c0 == 0xe2 && c1 == 0x80) {                        // U+20xx
    if ((c2 >= 0x80 && c2 <= 0x8a) || c2 == 0xa8 || c2 == 0xa9 || c2 == 0xaf) return 3;
  }
  if (c0 == 0xe2 && c1 == 0x81 && c2 == 0x9f) return 3;  // U+205F
  if (c0 == 0xe3 && c1 == 0x80 && c2 == 0x80) return 3;  // U+3000
  if (c0 == 0xef && c1 == 0xbb && c2 == 0xbf) return 3;  // U+FEFF
  return 0;
}

std::string_view js_trim(std::string_view text) {
  std::size_t begin = 0;
  while (begin < text.size()) {
    const std::size_t n = js_space_length(text, begin);
    if (n == 0) break;
    begin += n;
  }
  // Scan forward so multi-byte spaces are recognised from their first byte.
  std::size_t end = begin;
  std::size_t pos = begin;
  while (pos < text.size()) {
    const std::size_t n = js_space_length(text, pos);
    if (n == 0) {
      ++pos;
      end = pos;
    } else {
      pos += n;
    }
  }
  return text.substr(begin, end - begin);
}

std::size_t js_length(std::string_view text) {
  std::size_t units = 0;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80 || c >= 0xc0) ++units;  // continuation bytes add nothing
    if (c >= 0xf0) ++units;              // outside the BMP: a surrogate pair
  }
  return units;
}

std::string quote(std::string_view text) {
  constexpr std::size_t kMaxShown = 100;
  std::string out = "'";
  for (std::size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\\' || c == '\'') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c > 0x7e) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  if (text.size() > kMaxShown) out += "...";
  out += "'";
  return out;
}

}  // namespace driftlock::ecosystems::npm
