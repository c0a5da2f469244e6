#include "core/environment.hpp"

#include <cstdlib>

namespace driftlock {

std::optional<std::string> process_environment(std::string_view name) {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

}  // namespace driftlock
