#include "net/http_text.hpp"

#include <fmt/format.h>

#include "core/text.hpp"

namespace driftlock::net {
namespace {

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = lower(c);
  return out;
}

std::string format_byte_size(std::size_t bytes) {
  constexpr std::size_t kib = 1024;
  constexpr std::size_t mib = kib * 1024;
  constexpr std::size_t gib = mib * 1024;
  if (bytes >= gib && bytes % gib == 0) return fmt::format("{} GiB", bytes / gib);
  if (bytes >= mib && bytes % mib == 0) return fmt::format("{} MiB", bytes / mib);
  if (bytes >= kib && bytes % kib == 0) return fmt::format("{} KiB", bytes / kib);
  return fmt::format("{} {}", bytes, bytes == 1 ? "byte" : "bytes");
}

std::string percent_encode(std::string_view text) {
  std::string out;
  for (char c : text) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '.' || c == '_' || c == '~';
    if (plain) {
      out += c;
    } else {
      out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    }
  }
  return out;
}

std::optional<std::string> next_link(std::string_view link_header) {
  // Each link is "<target>" followed by ";"-separated parameters; targets may
  // hold commas, so links are found by their angle brackets, not split on ",".
  std::size_t pos = 0;
  while ((pos = link_header.find('<', pos)) != std::string_view::npos) {
    const std::size_t close = link_header.find('>', pos);
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view target = link_header.substr(pos + 1, close - pos - 1);
    std::size_t end = link_header.find('<', close);
    std::string_view params = link_header.substr(
        close + 1, end == std::string_view::npos ? std::string_view::npos : end - close - 1);
    std::size_t start = 0;
    while (start <= params.size()) {
      std::size_t semicolon = params.find(';', start);
      std::string_view param = trim_whitespace(params.substr(
          start, semicolon == std::string_view::npos ? std::string_view::npos : semicolon - start));
      if (param.ends_with(',')) param = trim_whitespace(param.substr(0, param.size() - 1));
      std::size_t eq = param.find('=');
      if (eq != std::string_view::npos &&
          equals_ignore_case(trim_whitespace(param.substr(0, eq)), "rel")) {
        std::string_view value = trim_whitespace(param.substr(eq + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
          value = value.substr(1, value.size() - 2);
        }
        // rel may list several relation types: rel="next last".
        std::size_t word = 0;
        while (word < value.size()) {
          std::size_t space = value.find(' ', word);
          std::string_view type = value.substr(
              word, space == std::string_view::npos ? std::string_view::npos : space - word);
          if (equals_ignore_case(type, "next")) return std::string(target);
          if (space == std::string_view::npos) break;
          word = space + 1;
        }
      }
      if (semicolon == std::string_view::npos) break;
      start = semicolon + 1;
    }
    pos = close + 1;
  }
  return std::nullopt;
}

}  // namespace driftlock::net
