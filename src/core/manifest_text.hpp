// Text-level helpers of the manifest parser: no toml++ here.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace driftlock::manifest_detail {

// toml++ builds nested tables recursively, so a dotted key or table header
// with tens of thousands of parts exhausts the stack while parsing or freeing
// the tree. Arrays and inline tables are capped by toml++ itself; keys cannot
// span lines, so capping the dots outside strings and comments per line
// bounds the depth.
constexpr int kMaxDotsPerLine = 256;

// The offset of the first dot beyond the cap, if any.
std::optional<std::size_t> find_excessive_nesting(std::string_view text);

// Control characters escaped, so a message stays on one line.
std::string printable(std::string_view s);

// A TOML basic string holding `value` (quotes, backslashes and control
// characters escaped).
std::string toml_string(std::string_view value);

// A key as TOML would spell it: bare when it can be, quoted otherwise.
std::string toml_key(std::string_view key);

// [A-Za-z0-9][A-Za-z0-9<extra>]*
bool is_safe_name(std::string_view s, std::string_view extra);

// [A-Z_][A-Z0-9_]*: what follows DRIFTLOCK_OCI_ in an environment variable.
bool is_env_key(std::string_view s);

}  // namespace driftlock::manifest_detail
