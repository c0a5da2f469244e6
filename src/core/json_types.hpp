// How errors about parsed JSON name what they found: "a string", "an array".
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string_view>

namespace driftlock {

// "null", "a boolean", "a string", "an array", "an object", "an integer",
// "a number" (a float), "a value" (binary data).
std::string_view json_type_name(const nlohmann::json& value);

}  // namespace driftlock
