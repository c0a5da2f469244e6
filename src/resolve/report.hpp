// Builds the Report of `driftlock report` from a resolution and the first-
// sighting log.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "core/report.hpp"
#include "core/snapshot.hpp"
#include "resolve/resolver.hpp"

namespace driftlock::resolve {

// When driftlock first saw a release; nullopt when unknown.
using FirstSeen = std::function<std::optional<Timestamp>(
    std::string_view ecosystem, std::string_view name, std::string_view version)>;

Report build_report(const Manifest& manifest, const Snapshot* baseline,
                    const Resolution& resolution, const PolicySettings& policy,
                    EcosystemTable ecosystems, Timestamp now, const FirstSeen& first_seen);

}  // namespace driftlock::resolve
