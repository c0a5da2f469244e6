// PEP 508 dependency specifiers ("requests[socks] (>=2.8.1,<3); python_version
// >= '3.8'"), as requires_dist, requirements files and pip inspect write them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/requirement.hpp"

namespace driftlock::ecosystems::pypi {

struct ParsedRequirement {
  std::string name;         // as written
  std::string extras;       // "[socks]" as written, or empty
  std::string specifier;    // PEP 440 specifiers without blanks or parentheses; empty: any
  std::string marker;       // after ';', trimmed; empty: always
  bool direct_url = false;  // "name @ url": `specifier` is then empty
};

// nullopt when `text` does not start with a project name or is malformed.
std::optional<ParsedRequirement> parse_requirement(std::string_view text);

// The requirement a resolver may rely on: none for markers (their truth
// depends on the image's Python and the extras asked for, which a registry
// document does not say) and direct URLs.
std::optional<Requirement> unconditional_requirement(std::string_view text);

}  // namespace driftlock::ecosystems::pypi
