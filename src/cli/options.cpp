#include "cli/options.hpp"

namespace driftlock::cli {

std::vector<std::string_view> option_names(const OptionSpec& option) {
  std::vector<std::string_view> names;
  std::string_view rest = option.names;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    names.push_back(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  return names;
}

std::string_view primary_name(const OptionSpec& option) {
  const std::vector<std::string_view> names = option_names(option);
  for (std::string_view name : names) {
    if (name.starts_with("--")) return name;
  }
  return names.empty() ? std::string_view() : names.front();
}

}  // namespace driftlock::cli
