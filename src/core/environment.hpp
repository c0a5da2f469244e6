// Environment variables through a seam, so tests set GITHUB_TOKEN and the
// like without touching the process's environment.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace driftlock {

// The value of a variable; nullopt when it is not set.
using Environment = std::function<std::optional<std::string>(std::string_view name)>;

// The process's environment.
std::optional<std::string> process_environment(std::string_view name);

}  // namespace driftlock
