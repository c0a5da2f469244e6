// Small text helpers shared by every ecosystem's error messages.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>

namespace driftlock {

// Registry text in a message cannot garble a terminal: control bytes, non-ASCII
// bytes, quotes and backslashes become \xNN; text past `max_shown` bytes is cut
// with "...".
std::string escape_for_message(std::string_view text,
                               std::size_t max_shown = std::numeric_limits<std::size_t>::max());

// `text` without leading and trailing spaces, tabs, CRs and LFs.
std::string_view trim_whitespace(std::string_view text);

// "http://host/path/" -> "http://host/path": base URLs are joined with "/".
std::string without_trailing_slashes(std::string text);

// "1 change", "3 changes": a count with the noun that agrees with it.
std::string counted(std::size_t n, std::string_view one, std::string_view many);

}  // namespace driftlock
