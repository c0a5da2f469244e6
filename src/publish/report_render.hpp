// Renders the Report of `driftlock report` (new releases since the snapshot)
// as text, stable JSON (docs/formats.md) or Markdown for the nightly cron.
#pragma once

#include <string>
#include <string_view>

#include "core/report.hpp"
#include "publish/output_format.hpp"

namespace driftlock::publish {

std::string render_report(const Report& report, OutputFormat format, Color color);

// The stable identifier of an exclusion in JSON ("too_young", ...); "" for none.
std::string_view exclusion_id(Exclusion exclusion);

}  // namespace driftlock::publish
