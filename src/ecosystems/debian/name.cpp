#include "ecosystems/debian/name.hpp"

#include <fmt/format.h>

#include "ecosystems/display.hpp"

namespace driftlock::ecosystems::debian {
namespace {

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

}  // namespace

// Debian Policy 5.6.1: lowercase letters, digits, '+', '-' and '.', at least
// two characters, starting with a letter or digit.
Result<void> validate_name(std::string_view name) {
  auto bad = [&](std::string_view why) {
    return fail_input(fmt::format("invalid Debian package name '{}': {}", display(name), why));
  };
  if (name.empty()) return bad("empty name");
  for (char c : name) {
    if (is_lower_alnum(c) || c == '+' || c == '-' || c == '.') continue;
    if (c >= 'A' && c <= 'Z') return bad("names are lowercase");
    if (c == ':') {
      return bad(
          "architecture qualifiers (name:arch) are not supported; set the "
          "architecture in [registries] debian");
    }
    if (c == '=') return bad("put the version range in the value, not in the name");
    return bad(
        fmt::format("invalid character '{}' (allowed: a-z, 0-9, '+', '-', '.')", display({&c, 1})));
  }
  if (name.size() < 2) return bad("names have at least two characters");
  if (!is_lower_alnum(name.front())) return bad("names start with a lowercase letter or digit");
  return {};
}

}  // namespace driftlock::ecosystems::debian
