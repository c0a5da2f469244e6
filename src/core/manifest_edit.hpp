// Textual edits of the manifest for `driftlock pin` / `unpin`: only the
// dependency's value changes, so the user's layout and comments survive
// (toml++ cannot write a document back as it was written). Every edit is
// checked by parsing the result again before anyone writes it.
#pragma once

#include <string>
#include <string_view>

#include "core/ecosystem.hpp"
#include "core/error.hpp"
#include "core/manifest.hpp"

namespace driftlock {

struct DependencyRef {
  std::string ecosystem;
  std::string name;
};

struct PinRequest {
  DependencyRef dependency;
  std::string version;  // as typed; normalised by pin_version
};

// "npm:chalk=4.1.2": the ecosystem ends at the first ':' (image references
// contain ':' later) and the version starts after the last '='.
Result<PinRequest> parse_pin_argument(std::string_view argument);

// "npm:chalk"; a trailing "=VERSION" is refused rather than taken as part of the name.
Result<DependencyRef> parse_unpin_argument(std::string_view argument);

// The manifest's entry for `ref`; an error with a "did you mean" when the
// ecosystem is unknown or the manifest has no such dependency.
Result<const DependencySpec*> find_dependency(const Manifest& manifest, const DependencyRef& ref,
                                              EcosystemTable ecosystems);

// `version` in the scheme's normalised spelling, checked against the
// dependency's range the way the manifest reader checks a hold (pre-releases
// count as in range: a hold is a deliberate choice).
Result<std::string> pin_version(const DependencySpec& spec, std::string_view version,
                                EcosystemTable ecosystems);

// `text` (which parsed as `manifest`) with `spec` held at `hold` (already
// normalised): a range string becomes { range = ..., hold = ... }, an inline
// table or a [dependencies.ECO.NAME] table gets its hold added or replaced.
// Refused when the dependency is written with dotted keys (chalk.range = ...)
// or when the result would not parse back to the same manifest plus the hold.
Result<std::string> set_hold(std::string_view text, const Manifest& manifest,
                             const DependencySpec& spec, std::string_view hold,
                             EcosystemTable ecosystems);

// `text` without `spec`'s hold; { range = X } left with only its range turns
// back into X. Returns `text` unchanged when there is no hold.
Result<std::string> remove_hold(std::string_view text, const Manifest& manifest,
                                const DependencySpec& spec, EcosystemTable ecosystems);

}  // namespace driftlock
