// The PyPI closure: what pip lists as installed, in any of its three shapes.
#pragma once

#include <string_view>

#include "core/closure.hpp"

namespace driftlock::ecosystems::pypi {

// Detected by the first non-blank character:
// - '[': `pip list --format=json`, [{"name": …, "version": …}, …]; an
//   editable install (editable_project_location) is skipped;
// - '{': `pip inspect`, whose requires_dist gives `via` (markers and extras
//   ignored, only installed packages named); an install from a direct URL
//   (direct_url) is skipped;
// - otherwise `pip freeze`: `name==version` lines; blank lines, `#` comments
//   and option lines (`-i …`) are ignored, `-e …`, `name @ URL` and
//   `name===version` skipped; anything else is an error naming the line.
// Names are spelt as pip prints them (the project's own spelling, as a
// manifest and so a snapshot would write it); two spellings of one PEP 503
// name are one package.
Result<ClosureListing> parse_closure(std::string_view listing);

}  // namespace driftlock::ecosystems::pypi
