// Renders a Diff as aligned text, stable JSON (docs/formats.md) or a Markdown
// table a CI comment can carry.
#pragma once

#include <string>

#include "core/diff.hpp"
#include "publish/output_format.hpp"

namespace driftlock::publish {

std::string render_diff_text(const Diff& diff, Color color);
std::string render_diff_json(const Diff& diff);
std::string render_diff_markdown(const Diff& diff);

std::string render_diff(const Diff& diff, OutputFormat format, Color color);

// "3 changes: 2 upgraded, 1 added" — shared by every report's summary line.
std::string summarize(const Diff& diff);

}  // namespace driftlock::publish
