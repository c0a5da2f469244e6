// Registry, log and test text inside Markdown (reports, CI comments, the
// dashboard): it must not open HTML ("<!--" would hide the rest of a
// comment), emphasis or strikethrough (two "1.0~rc1" versions in one cell),
// links, or a new table cell.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace driftlock::publish {

// Prose and table cells: '|' and Markdown punctuation backslash-escaped, '<'
// and '&' as entities, line breaks turned into spaces.
std::string markdown_cell(std::string_view text);

// The inside of a `code span` (where escapes would show): '|' escaped for
// tables, backticks turned into quotes, line breaks into spaces.
std::string markdown_code(std::string_view text);

// Names as code spans joined by ", " ("`a`, `b`"); "-" when there are none.
std::string markdown_code_list(const std::vector<std::string>& names);

}  // namespace driftlock::publish
