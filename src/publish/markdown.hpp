// Text inside Markdown tables (reports, CI comments).
#pragma once

#include <string>
#include <string_view>

namespace driftlock::publish {

// A table cell: '|' escaped, line breaks turned into spaces.
std::string markdown_cell(std::string_view text);

}  // namespace driftlock::publish
