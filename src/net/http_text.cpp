#include "net/http_text.hpp"

#include <fmt/format.h>

namespace driftlock::net {
namespace {

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// The authority ("user:pw@host:port") of an absolute URL and where it starts.
struct Authority {
  std::size_t begin = std::string_view::npos;
  std::string_view text;
};

Authority authority_of(std::string_view url) {
  std::size_t sep = url.find("://");
  if (sep == std::string_view::npos) return {};
  std::size_t begin = sep + 3;
  std::size_t end = url.find_first_of("/?#", begin);
  if (end == std::string_view::npos) end = url.size();
  return {begin, url.substr(begin, end - begin)};
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

std::string_view trim_space(std::string_view text) {
  constexpr std::string_view space = " \t\r\n";
  std::size_t first = text.find_first_not_of(space);
  if (first == std::string_view::npos) return {};
  std::size_t last = text.find_last_not_of(space);
  return text.substr(first, last - first + 1);
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

std::string redact_url(std::string_view url) {
  Authority auth = authority_of(url);
  std::size_t at = auth.text.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  std::string_view userinfo = auth.text.substr(0, at);
  std::size_t colon = userinfo.find(':');
  // A user name alone is often the token itself (e.g. "token@host"): mask it too.
  std::string masked =
      colon == std::string_view::npos ? "***" : fmt::format("{}:***", userinfo.substr(0, colon));
  return fmt::format("{}{}{}", url.substr(0, auth.begin), masked, url.substr(auth.begin + at));
}

std::string scheme_of(std::string_view url) {
  std::size_t sep = url.find("://");
  if (sep == std::string_view::npos) return {};
  return lower_ascii(url.substr(0, sep));
}

std::string origin_of(std::string_view url) {
  std::string scheme = scheme_of(url);
  if (scheme.empty()) return {};
  std::string_view host = authority_of(url).text;
  if (std::size_t at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
  std::string_view port;
  // A colon after the closing bracket of an IPv6 literal, or any colon otherwise.
  std::size_t bracket = host.rfind(']');
  std::size_t colon = host.rfind(':');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (port.empty()) port = scheme == "https" ? "443" : scheme == "http" ? "80" : "";
  return fmt::format("{}://{}:{}", scheme, lower_ascii(host), port);
}

}  // namespace driftlock::net
