#include "ecosystems/pypi/name.hpp"

#include <fmt/format.h>

#include "ecosystems/pypi/text.hpp"

namespace driftlock::ecosystems::pypi {
namespace {

bool is_punctuation(char c) {
  return c == '.' || c == '_' || c == '-';
}

std::unexpected<Error> bad_name(std::string_view name, std::string_view reason) {
  return fail_input(fmt::format("invalid pypi package name {}: {}", quote(name), reason));
}

}  // namespace

Result<void> validate_name(std::string_view name) {
  if (name.empty()) return bad_name(name, "empty");
  if (name.size() > kMaxNameLength) {
    return bad_name(name, fmt::format("longer than {} characters", kMaxNameLength));
  }
  if (const std::size_t bracket = name.find('['); bracket != std::string_view::npos) {
    return bad_name(name, fmt::format("extras such as {} are not part of the name (use {})",
                                      quote(name.substr(bracket)), quote(name.substr(0, bracket))));
  }
  if (name.find_first_of("=<>!~") != std::string_view::npos) {
    return bad_name(name, "a version range belongs in the value, not in the name");
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (is_alnum(name[i]) || is_punctuation(name[i])) continue;
    std::string_view bad = first_non_ascii(name.substr(i, 4));
    if (bad.empty() || bad.data() != name.data() + i) bad = name.substr(i, 1);
    return bad_name(name, fmt::format("{} is not allowed (only letters, digits, '.', '_' and '-')",
                                      quote(bad)));
  }
  if (!is_alnum(name.front()) || !is_alnum(name.back())) {
    return bad_name(name, "must start and end with a letter or digit");
  }
  return {};
}

std::string normalize_name(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (is_punctuation(name[i])) {
      if (i == 0 || !is_punctuation(name[i - 1])) out += '-';
    } else {
      out += ascii_lower(name[i]);
    }
  }
  return out;
}

}  // namespace driftlock::ecosystems::pypi
