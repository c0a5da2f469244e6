#include "ecosystems/pypi/text.hpp"

#include <fmt/format.h>

namespace driftlock::ecosystems::pypi {
namespace {

unsigned char byte_at(std::string_view text, std::size_t pos) {
  return static_cast<unsigned char>(text[pos]);
}

// The code point starting at text[pos] and its length in bytes; code point -1
// (length 1) for a byte that does not start a valid, shortest-form sequence.
struct CodePoint {
  long value;
  std::size_t length;
};

CodePoint decode(std::string_view text, std::size_t pos) {
  const unsigned char lead = byte_at(text, pos);
  if (lead < 0x80) return {lead, 1};
  std::size_t length = 0;
  long value = 0;
  long minimum = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, value = lead & 0x1F, minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, value = lead & 0x0F, minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, value = lead & 0x07, minimum = 0x10000;
  } else {
    return {-1, 1};
  }
  if (pos + length > text.size()) return {-1, 1};
  for (std::size_t i = 1; i < length; ++i) {
    const unsigned char next = byte_at(text, pos + i);
    if ((next & 0xC0) != 0x80) return {-1, 1};
    value = (value << 6) | (next & 0x3F);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return {-1, 1};
  return {value, length};
}

bool is_python_space(long c) {
  switch (c) {
    case 0x09:
    case 0x0A:
    case 0x0B:
    case 0x0C:
    case 0x0D:
    case 0x1C:
    case 0x1D:
    case 0x1E:
    case 0x1F:
    case 0x20:
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

}  // namespace

std::size_t whitespace_length(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return 0;
  const CodePoint cp = decode(text, pos);
  return cp.value >= 0 && is_python_space(cp.value) ? cp.length : 0;
}

std::string_view strip_whitespace(std::string_view text) {
  std::size_t begin = 0;
  while (std::size_t n = whitespace_length(text, begin)) begin += n;
  std::size_t end = text.size();
  // Scan back over whole characters: a whitespace character is at most 3 bytes.
  while (end > begin) {
    std::size_t cut = 0;
    for (std::size_t n = 1; n <= 3 && n <= end - begin; ++n) {
      if (whitespace_length(text, end - n) == n) {
        cut = n;
        break;
      }
    }
    if (cut == 0) break;
    end -= cut;
  }
  return text.substr(begin, end - begin);
}

bool contains_whitespace(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (whitespace_length(text, i) > 0) return true;
  }
  return false;
}

std::string quote(std::string_view text) {
  std::string out = "'";
  for (std::size_t i = 0; i < text.size();) {
    const CodePoint cp = decode(text, i);
    const unsigned char byte = byte_at(text, i);
    if (cp.value < 0) {
      out += fmt::format("\\x{:02x}", byte);
    } else if (cp.value == '\'' || cp.value == '\\') {
      out += '\\';
      out += static_cast<char>(cp.value);
    } else if (cp.value == '\t') {
      out += "\\t";
    } else if (cp.value == '\n') {
      out += "\\n";
    } else if (cp.value == '\r') {
      out += "\\r";
    } else if (cp.value < 0x20 || cp.value == 0x7F) {
      out += fmt::format("\\x{:02x}", byte);
    } else if (cp.value < 0x80) {
      out += static_cast<char>(cp.value);
    } else if (cp.value <= 0xFFFF) {
      out += fmt::format("\\u{:04x}", cp.value);
    } else {
      out += fmt::format("\\U{:08x}", cp.value);
    }
    i += cp.length;
  }
  out += '\'';
  return out;
}

std::string_view first_non_ascii(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (byte_at(text, i) >= 0x80) return text.substr(i, decode(text, i).length);
  }
  return {};
}

std::string ascii_lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

}  // namespace driftlock::ecosystems::pypi
