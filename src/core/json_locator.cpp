#include "core/json_locator.hpp"

namespace driftlock {
namespace {

// A scanner over text that nlohmann has already accepted, so it only has to
// find boundaries, not diagnose errors; it still never reads past the end.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : m_text(text) {}

  std::size_t pos() const { return m_pos; }
  void skip_ws() {
    while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\n' ||
                                     m_text[m_pos] == '\r' || m_text[m_pos] == '\t')) {
      ++m_pos;
    }
  }
  char peek() const { return m_pos < m_text.size() ? m_text[m_pos] : '\0'; }
  void bump() {
    if (m_pos < m_text.size()) ++m_pos;
  }

  // Reads a string token and returns its raw contents (escapes decoded only
  // for the simple cases needed to match ASCII keys).
  std::string read_string() {
    std::string out;
    bump();  // opening quote
    while (m_pos < m_text.size() && m_text[m_pos] != '"') {
      if (m_text[m_pos] == '\\' && m_pos + 1 < m_text.size()) {
        char e = m_text[m_pos + 1];
        switch (e) {
          case 'n':
            out += '\n';
            break;
          case 't':
            out += '\t';
            break;
          case 'r':
            out += '\r';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'u':
            out += "\\u";
            break;  // kept raw: keys we look up are ASCII
          default:
            out += e;
            break;
        }
        m_pos += 2;
      } else {
        out += m_text[m_pos++];
      }
    }
    bump();  // closing quote
    return out;
  }

  void skip_value() {
    skip_ws();
    char c = peek();
    if (c == '"') {
      read_string();
    } else if (c == '{' || c == '[') {
      char close = c == '{' ? '}' : ']';
      bump();
      skip_ws();
      if (peek() == close) {
        bump();
        return;
      }
      while (m_pos < m_text.size()) {
        skip_ws();
        if (close == '}') {
          read_string();
          skip_ws();
          bump();  // ':'
        }
        skip_value();
        skip_ws();
        if (peek() == ',') {
          bump();
          continue;
        }
        bump();  // close
        return;
      }
    } else {
      while (m_pos < m_text.size() &&
             std::string_view(",]} \n\r\t").find(peek()) == std::string_view::npos) {
        ++m_pos;
      }
    }
  }

 private:
  std::string_view m_text;
  std::size_t m_pos = 0;
};

}  // namespace

std::size_t json_offset(std::string_view text, const JsonPath& path, JsonAnchor anchor) {
  Scanner s(text);
  s.skip_ws();
  std::size_t found = s.pos();
  for (std::size_t step = 0; step < path.size(); ++step) {
    const bool last = step + 1 == path.size();
    char open = s.peek();
    if (const auto* key = std::get_if<std::string>(&path[step])) {
      if (open != '{') return found;
      s.bump();
      bool matched = false;
      while (true) {
        s.skip_ws();
        if (s.peek() != '"') return found;
        std::size_t key_pos = s.pos();
        std::string k = s.read_string();
        s.skip_ws();
        s.bump();  // ':'
        s.skip_ws();
        if (k == *key) {
          found = last && anchor == JsonAnchor::key ? key_pos : s.pos();
          matched = true;
          break;
        }
        s.skip_value();
        s.skip_ws();
        if (s.peek() != ',') return found;
        s.bump();
      }
      if (!matched) return found;
    } else {
      std::size_t index = std::get<std::size_t>(path[step]);
      if (open != '[') return found;
      s.bump();
      for (std::size_t i = 0;; ++i) {
        s.skip_ws();
        if (s.peek() == ']' || s.peek() == '\0') return found;
        if (i == index) {
          found = s.pos();
          break;
        }
        s.skip_value();
        s.skip_ws();
        if (s.peek() != ',') return found;
        s.bump();
      }
    }
  }
  return found;
}

std::optional<std::size_t> json_too_deep_at(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) return i;
    } else if (c == '}' || c == ']') {
      if (depth > 0) --depth;
    }
  }
  return std::nullopt;
}

}  // namespace driftlock
