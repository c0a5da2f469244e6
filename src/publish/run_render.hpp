// Renders the RunReport of `run`, `check` and `bisect`: text for terminals,
// stable JSON (docs/formats.md) and Markdown for a CI comment that names the
// breaking dependency.
#pragma once

#include <string>

#include "core/run_report.hpp"
#include "publish/output_format.hpp"

namespace driftlock::publish {

enum class Explain { no, yes };

std::string render_run(const RunReport& report, OutputFormat format, Color color,
                       Explain explain = Explain::no);

// What a change label says beyond the versions.
enum class Label {
  full,      // "pypi dl-sub 1.0.0 -> 2.0.0 (transitive, via dl-greet)"
  versions,  // "pypi dl-sub 1.0.0 -> 2.0.0": where a table says the rest
};

// "npm chalk 4.1.2 -> 5.3.0" and the like.
std::string change_label(const Change& change, Label label = Label::full);

// A change to a package of the captured closure that the manifest does not name.
bool is_transitive(const Change& change);

}  // namespace driftlock::publish
