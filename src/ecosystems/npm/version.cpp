#include "ecosystems/npm/version.hpp"

#include <algorithm>

#include "ecosystems/npm/syntax.hpp"
#include "ecosystems/npm/text.hpp"
#include "ecosystems/npm/version_reader.hpp"

namespace driftlock::ecosystems::npm {

namespace {

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_digit);
}

std::string_view strip_zeros(std::string_view digits) {
  const std::size_t first = digits.find_first_not_of('0');
  return first == std::string_view::npos ? digits.substr(digits.size() - 1) : digits.substr(first);
}

// A major/minor/patch as JavaScript's `+digits`, if at most MAX_SAFE_INTEGER.
std::optional<std::uint64_t> safe_number(std::string_view digits) {
  const std::string_view significant = strip_zeros(digits);
  if (significant.size() > 16) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : significant) value = value * 10 + static_cast<std::uint64_t>(c - '0');
  if (value > kMaxSafeInteger) return std::nullopt;
  return value;
}

// node-semver turns an all-digit identifier into a number only below
// MAX_SAFE_INTEGER; bigger ones stay strings, leading zeros and all.
std::string canonical_identifier(std::string_view id) {
  if (!all_digits(id)) return std::string(id);
  const std::optional<std::uint64_t> value = safe_number(id);
  if (!value || *value == kMaxSafeInteger) return std::string(id);
  return std::to_string(*value);
}

std::vector<std::string> split_dots(std::string_view text, bool canonical) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = text.find('.', start);
    const std::string_view part = text.substr(start, dot - start);
    parts.push_back(canonical ? canonical_identifier(part) : std::string(part));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts;
}

// node-semver's compareIdentifiers: numbers before words, numbers by value
// (as JavaScript doubles, so beyond 2^53 neighbours can tie), words by code unit.
int compare_identifiers(const std::string& a, const std::string& b) {
  if (a == b) return 0;
  const bool a_numeric = all_digits(a);
  const bool b_numeric = all_digits(b);
  if (a_numeric && b_numeric) {
    const double x = syntax::js_number(a);
    const double y = syntax::js_number(b);
    return x == y ? 0 : (x < y ? -1 : 1);
  }
  if (a_numeric) return -1;
  if (b_numeric) return 1;
  return a < b ? -1 : 1;
}

int compare_numbers(std::uint64_t a, std::uint64_t b) {
  return a == b ? 0 : (a < b ? -1 : 1);
}

}  // namespace

std::expected<Version, VersionProblem> read_version(std::string_view text, Parsing parsing) {
  if (js_length(text) > kMaxVersionLength) return std::unexpected(VersionProblem::too_long);
  const std::string_view trimmed = js_trim(text);
  const auto match = syntax::match_whole(
      trimmed, 0, parsing == Parsing::loose ? syntax::Plain::loose : syntax::Plain::full);
  if (!match) return std::unexpected(VersionProblem::syntax);
  const auto major = safe_number(match->major);
  const auto minor = safe_number(*match->minor);
  const auto patch = safe_number(*match->patch);
  if (!major || !minor || !patch) return std::unexpected(VersionProblem::too_large);
  Version version{*major, *minor, *patch, {}, {}};
  if (match->prerelease) version.prerelease = split_dots(*match->prerelease, true);
  if (match->build) version.build = split_dots(*match->build, false);
  return version;
}

std::string version_problem_message(std::string_view text, VersionProblem problem) {
  std::string message = "invalid npm version " + quote(text);
  switch (problem) {
    case VersionProblem::syntax:
      if (text.empty()) message += ": empty string";
      break;
    case VersionProblem::too_long:
      message += ": longer than 256 characters";
      break;
    case VersionProblem::too_large:
      message += ": number too large";
      break;
  }
  return message;
}

Result<Version> parse_version(std::string_view text, Parsing parsing) {
  auto version = read_version(text, parsing);
  if (!version) return fail_input(version_problem_message(text, version.error()));
  return std::move(*version);
}

int compare(const Version& a, const Version& b) {
  if (const int c = compare_numbers(a.major, b.major)) return c;
  if (const int c = compare_numbers(a.minor, b.minor)) return c;
  if (const int c = compare_numbers(a.patch, b.patch)) return c;
  // A version without pre-release sorts after its pre-releases.
  const bool a_pre = !a.prerelease.empty();
  const bool b_pre = !b.prerelease.empty();
  if (a_pre != b_pre) return a_pre ? -1 : 1;
  const std::size_t common = std::min(a.prerelease.size(), b.prerelease.size());
  for (std::size_t i = 0; i < common; ++i) {
    if (const int c = compare_identifiers(a.prerelease[i], b.prerelease[i])) return c;
  }
  // Fewer identifiers sort first: 1.0.0-alpha < 1.0.0-alpha.1.
  return compare_numbers(a.prerelease.size(), b.prerelease.size());
}

std::string to_string_without_build(const Version& version) {
  std::string out = std::to_string(version.major) + '.' + std::to_string(version.minor) + '.' +
                    std::to_string(version.patch);
  for (std::size_t i = 0; i < version.prerelease.size(); ++i) {
    out += i == 0 ? '-' : '.';
    out += version.prerelease[i];
  }
  return out;
}

std::string to_string(const Version& version) {
  std::string out = to_string_without_build(version);
  for (std::size_t i = 0; i < version.build.size(); ++i) {
    out += i == 0 ? '+' : '.';
    out += version.build[i];
  }
  return out;
}

}  // namespace driftlock::ecosystems::npm
