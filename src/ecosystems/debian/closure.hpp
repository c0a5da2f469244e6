// The Debian closure: what dpkg lists as installed.
#pragma once

#include <string_view>

#include "core/closure.hpp"

namespace driftlock::ecosystems::debian {

// `dpkg-query -W` in its default format: `name<TAB>version` lines. A
// `:arch` qualifier is dropped from the name (a Multi-Arch: same package
// installed for two architectures is one entry, and must have one version);
// a line with an empty version (removed, configuration files left) is left
// out; blank lines are ignored; any other line is an error naming it.
// Nothing is ever skipped.
Result<ClosureListing> parse_closure(std::string_view listing);

}  // namespace driftlock::ecosystems::debian
