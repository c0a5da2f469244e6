// The VersionScheme properties every ecosystem must keep, on fuzzed input:
// two versions and a range, one per line.
#pragma once

#include <string_view>

#include "core/version_scheme.hpp"
#include "fuzz_input.hpp"

namespace driftlock::fuzz {

inline void check_scheme(const VersionScheme& scheme, std::string_view text) {
  const auto parts = split_parts(text, 3);
  const std::string_view a = parts[0];
  const std::string_view b = parts.size() > 1 ? parts[1] : std::string_view{"0"};
  const std::string_view range = parts.size() > 2 ? parts[2] : a;

  if (const auto normal = scheme.normalize(a)) {
    const auto again = scheme.normalize(*normal);
    check(again && *again == *normal);  // the canonical form is canonical
    const auto self = scheme.compare(a, *normal);
    check(self && *self == 0);
    (void)scheme.is_prerelease(a);
  }
  const auto ab = scheme.compare(a, b);
  const auto ba = scheme.compare(b, a);
  check(ab.has_value() == ba.has_value());
  if (ab && ba) {
    check(*ab == -*ba);
  }
  if (scheme.validate_range(range)) {
    (void)scheme.satisfies(range, a, Prereleases::exclude);
    (void)scheme.satisfies(range, b, Prereleases::include);
  }
}

}  // namespace driftlock::fuzz
