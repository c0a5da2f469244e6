// The OCI "version" of a dependency is a tag (`stable`, `12`, `3.11.4-slim`);
// drift is a new digest behind the same tag. The manifest value is the tag to
// follow, or a glob over tags (`3.11.*-slim`). Ordering rules: README.md.
#pragma once

#include <string_view>

#include "core/error.hpp"
#include "core/version_scheme.hpp"

namespace driftlock::ecosystems::oci {

// The distribution spec's tag grammar, [A-Za-z0-9_][A-Za-z0-9._-]{0,127}.
// A digest (sha256:...) is rejected: versions are tags.
Result<void> validate_tag(std::string_view tag);

// A total order over valid tags: 0 only for identical strings. Version-like
// tags with the same variant suffix order by their numbers, pre-releases first.
int compare_tags(std::string_view a, std::string_view b);

// A version-like tag whose numbers are followed by a pre-release marker:
// 3.13.0rc1, 3.13.0b2-slim, 1.0-alpha.
bool is_prerelease_tag(std::string_view tag);

// `*` matches any run of characters, including none; all else matches itself.
bool glob_match(std::string_view pattern, std::string_view tag);

const VersionScheme& version_scheme();

}  // namespace driftlock::ecosystems::oci
