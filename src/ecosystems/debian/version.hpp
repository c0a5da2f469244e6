// The Debian (dpkg) version scheme: parsing and ordering exactly as dpkg's
// parseversion() and verrevcmp() do, plus driftlock's range syntax for
// [dependencies.debian] (a comma-separated list of dpkg relations, or `*`).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/version_scheme.hpp"

namespace driftlock::ecosystems::debian {

// [epoch:]upstream[-revision]. An absent epoch is 0 and an absent revision is
// empty; dpkg orders both the same as written-out "0:" and "-0".
struct Version {
  std::uint32_t epoch = 0;  // dpkg caps epochs at INT_MAX
  std::string upstream;
  std::string revision;
};

// Parses like dpkg: surrounding whitespace is trimmed, the epoch is the digits
// before the first ':', the revision follows the last '-'. An upstream part
// that does not start with a digit is accepted (dpkg only warns).
Result<Version> parse_version(std::string_view text);

// -1, 0 or 1 in dpkg order: epoch, then upstream, then revision.
int compare(const Version& a, const Version& b);

// A '~' in the upstream part (2.0~rc1-1). A '~' in the revision (1.0-1~deb12u1)
// marks a backport or stable update, not a pre-release.
bool is_prerelease(const Version& version);

// dpkg's relation operators; the deprecated `<` and `>` are rejected.
enum class Op { less, less_equal, equal, greater_equal, greater };

struct Relation {
  Op op = Op::equal;
  Version version;
};

// `*` gives no relations (every version satisfies it); otherwise every
// comma-separated `OP VERSION` must hold.
Result<std::vector<Relation>> parse_range(std::string_view range);

bool satisfies(const std::vector<Relation>& relations, const Version& version);

const VersionScheme& version_scheme();

}  // namespace driftlock::ecosystems::debian
