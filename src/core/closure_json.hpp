// The JSON listings (`npm ls --json`, `pip list --format=json`, `pip
// inspect`) parsed one way: depth bounded before parsing, errors as
// "line N: invalid JSON: …". Kept apart from closure.hpp, which the ecosystem
// table includes everywhere, so nlohmann stays in the parsers.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/error.hpp"

namespace driftlock {

Result<nlohmann::json> parse_listing_json(std::string_view text);

}  // namespace driftlock
