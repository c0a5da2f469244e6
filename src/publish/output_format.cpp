#include "publish/output_format.hpp"

namespace driftlock::publish {

std::optional<OutputFormat> parse_output_format(std::string_view name) {
  if (name == "text") return OutputFormat::text;
  if (name == "json") return OutputFormat::json;
  if (name == "markdown" || name == "md") return OutputFormat::markdown;
  return std::nullopt;
}

}  // namespace driftlock::publish
