// The report formats every reporting command offers (--format).
#pragma once

#include <optional>
#include <string_view>

namespace driftlock::publish {

enum class OutputFormat { text, json, markdown };

std::optional<OutputFormat> parse_output_format(std::string_view name);

// ANSI colour in text output: only on a terminal, and never when NO_COLOR is set.
enum class Color { never, always };

}  // namespace driftlock::publish
