// npm versions and ranges, behaving exactly like node-semver v7 (see README.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/version_scheme.hpp"

namespace driftlock::ecosystems::npm {

// node-semver's `loose` option: `=`/`v` prefixes with spaces, leading zeros,
// pre-releases without the hyphen ("1.2.3beta").
enum class Parsing { strict, loose };

// Number.MAX_SAFE_INTEGER: node-semver's largest major, minor or patch.
inline constexpr std::uint64_t kMaxSafeInteger = 9007199254740991;
// node-semver's longest version string, in JavaScript characters.
inline constexpr std::size_t kMaxVersionLength = 256;

struct Version {
  std::uint64_t major = 0;
  std::uint64_t minor = 0;
  std::uint64_t patch = 0;
  // Identifiers as node-semver keeps them: all-digit ones below
  // MAX_SAFE_INTEGER lose leading zeros (loose "1.2.3-01" is 1.2.3-1).
  std::vector<std::string> prerelease;
  std::vector<std::string> build;  // kept for display; never compared

  bool operator==(const Version&) const = default;
};

// An input error naming the text when it is not a valid version.
Result<Version> parse_version(std::string_view text, Parsing parsing);

// -1, 0 or 1; build metadata is ignored, so 1.2.3+a equals 1.2.3+b.
int compare(const Version& a, const Version& b);

// "1.2.3-pre.1+build": no `v`/`=` prefix, build metadata kept.
std::string to_string(const Version& version);

// Like node-semver's `version` property: "1.2.3-pre.1", no build metadata.
std::string to_string_without_build(const Version& version);

enum class Operator { equal, less, less_equal, greater, greater_equal };

struct Comparator {
  Operator op = Operator::equal;
  std::optional<Version> version;  // nullopt: matches every version ("*")
};

// Comparators that must all hold.
using ComparatorSet = std::vector<Comparator>;

struct Range {
  // node-semver desugars a range differently when pre-releases are included
  // (`^1.2` is `>=1.2.0-0 <2.0.0-0` then), so both forms are kept. A form is
  // empty, and so matches nothing, when the range is valid only in the other
  // mode (possible only with numbers hundreds of digits long).
  std::vector<ComparatorSet> excluding;  // for Prereleases::exclude (node-semver's default)
  std::vector<ComparatorSet> including;  // for Prereleases::include (includePrerelease)

  const std::vector<ComparatorSet>& sets(Prereleases prereleases) const {
    return prereleases == Prereleases::include ? including : excluding;
  }
};

// Any node-semver range: `||`, hyphen ranges, x-ranges, `~`, `^`, comparators
// with partial versions, "" and "*". An input error naming the text otherwise.
Result<Range> parse_range(std::string_view text, Parsing parsing);

// Whether `version` is in `range`. With Prereleases::exclude a pre-release
// matches only when a comparator of the same set names a pre-release of the
// same major.minor.patch, as in node-semver.
bool satisfies(const Range& range, const Version& version, Prereleases prereleases);

// The desugared form as node-semver's `Range#range` prints it, e.g.
// "^1.2.3" is ">=1.2.3 <2.0.0-0", "*" is "".
std::string to_string(const Range& range, Prereleases prereleases);

// The scheme core uses: versions and ranges parsed loose, as npm itself does
// for dependency specs; normalize gives to_string(version).
const VersionScheme& version_scheme();

}  // namespace driftlock::ecosystems::npm
