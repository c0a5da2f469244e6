// node-semver's string rewriting of a range into plain comparators (internal
// to npm/). Range parsing in node-semver is a chain of regex replacements;
// mirroring that chain step by step keeps its quirks (which real specs in the
// registry rely on) without a regex engine.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace driftlock::ecosystems::npm {

struct DesugarOptions {
  bool loose = false;
  bool include_prerelease = false;
};

// String#trim, then every run of JavaScript whitespace made one ' '.
std::string normalize_whitespace(std::string_view text);

// One `||`-separated part (already trimmed) as the comparator strings node
// -semver builds from it, before they are parsed: "^1.2 x" gives
// {">=1.2.0", "<2.0.0-0", ""}. Loose mode's dropping of invalid ones is not
// done here.
std::vector<std::string> desugar_part(std::string_view part, const DesugarOptions& options);

}  // namespace driftlock::ecosystems::npm
