// apt's own configuration as a fallback registry: when the manifest has no
// [registries] debian, the entries of sources.list (one-line format) and
// *.sources (deb822 format) say which repositories apt uses. Pure functions
// over text; reading /etc/apt is the caller's business.
#pragma once

#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/manifest.hpp"

namespace driftlock::ecosystems::debian {

// `deb [ options ] URI suite component...` lines. deb-src lines, comments
// ('#' to the end of the line), blank lines, flat repositories (a suite
// ending in '/', which have no dists/ tree) and URIs other than http(s)
// (cdrom:, file:, mirror+...) are skipped. The `arch=` option's first value
// is the architecture, else `default_arch`. Other malformed lines are input
// errors "path:line: problem".
Result<std::vector<DebianRegistry>> parse_sources_list(std::string_view text, std::string_view path,
                                                       std::string_view default_arch = "amd64");

// deb822 stanzas with Types, URIs, Suites, Components (and optionally
// Architectures, Enabled). One entry per (URI, suite) of each stanza whose
// Types include `deb` and that is not `Enabled: no`; skipped cases as above.
Result<std::vector<DebianRegistry>> parse_sources_file(std::string_view text, std::string_view path,
                                                       std::string_view default_arch = "amd64");

}  // namespace driftlock::ecosystems::debian
