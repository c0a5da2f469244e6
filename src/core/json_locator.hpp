// Finds where a value sits in JSON text, so errors about already-parsed JSON
// (nlohmann keeps no positions) can still point at file:line:col.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace driftlock {

// One step of a path: an object key or an array index.
using JsonPathStep = std::variant<std::string, std::size_t>;
using JsonPath = std::vector<JsonPathStep>;

enum class JsonAnchor { value, key };

// Byte offset of the value at `path` (or of its key, for an object member) in
// syntactically valid `text`; for a path that does not exist, the offset of the
// deepest enclosing value that does.
std::size_t json_offset(std::string_view text, const JsonPath& path,
                        JsonAnchor anchor = JsonAnchor::value);

// The offset of the first '{' or '[' nested deeper than `max_depth` levels,
// if any. Refusing such text before parsing keeps every recursive walk over
// it (json_offset included) bounded; `text` need not be valid JSON.
std::optional<std::size_t> json_too_deep_at(std::string_view text, std::size_t max_depth);

}  // namespace driftlock
