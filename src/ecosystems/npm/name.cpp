#include "ecosystems/npm/name.hpp"

#include <optional>
#include <string>

#include "ecosystems/npm/text.hpp"

namespace driftlock::ecosystems::npm {

namespace {

// The registry's limit for new package names.
constexpr std::size_t kMaxNameLength = 214;

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// Checks one side of "@scope/name" (or a whole unscoped name). `what` names
// the side in messages: "" for an unscoped name.
std::optional<std::string> part_problem(std::string_view part, std::string_view what) {
  const std::string subject = what.empty() ? "" : std::string(what) + " ";
  if (part.empty()) return "a scoped name must look like '@scope/name'";
  if (part[0] == '.' || part[0] == '_') {
    return subject + "must not start with '" + part[0] + "'";
  }
  for (char c : part) {
    // Unscoped names from before npm required lower case (JSONStream) still
    // resolve; scopes came later and never allowed upper case.
    if (c >= 'A' && c <= 'Z') {
      if (what.empty()) continue;
      return std::string("must be lowercase");
    }
    if (!is_name_char(c)) {
      return "contains " + quote(std::string_view(&c, 1)) +
             ", which is not allowed (only a-z 0-9 - . _ ~)";
    }
  }
  return std::nullopt;
}

std::optional<std::string> name_problem(std::string_view name) {
  if (name.empty()) return "empty";
  if (name.size() > kMaxNameLength) return "longer than 214 characters";
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (js_space_length(name, i) > 0) return "contains spaces";
  }
  if (name[0] != '@') {
    if (name == "node_modules" || name == "favicon.ico") return "reserved name";
    return part_problem(name, "");
  }
  const std::size_t slash = name.find('/');
  if (slash == std::string_view::npos) return "a scoped name must look like '@scope/name'";
  if (auto problem = part_problem(name.substr(1, slash - 1), "scope")) return problem;
  return part_problem(name.substr(slash + 1), "name");
}

}  // namespace

Result<void> validate_name(std::string_view name) {
  if (auto problem = name_problem(name)) {
    return fail_input("invalid npm package name " + quote(name) + ": " + *problem);
  }
  return {};
}

}  // namespace driftlock::ecosystems::npm
