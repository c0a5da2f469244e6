// The VersionScheme core sees: everything parsed loose, as npm itself reads
// versions from the registry and ranges from package.json.
#include "ecosystems/npm/version.hpp"

namespace driftlock::ecosystems::npm {

namespace {

class Scheme final : public VersionScheme {
 public:
  std::string_view ecosystem() const override { return "npm"; }

  Result<std::string> normalize(std::string_view text) const override {
    auto version = parse_version(text, Parsing::loose);
    if (!version) return std::unexpected(std::move(version.error()));
    return to_string(*version);
  }

  Result<int> compare(std::string_view a, std::string_view b) const override {
    auto left = parse_version(a, Parsing::loose);
    if (!left) return std::unexpected(std::move(left.error()));
    auto right = parse_version(b, Parsing::loose);
    if (!right) return std::unexpected(std::move(right.error()));
    return npm::compare(*left, *right);
  }

  Result<bool> is_prerelease(std::string_view text) const override {
    auto version = parse_version(text, Parsing::loose);
    if (!version) return std::unexpected(std::move(version.error()));
    return !version->prerelease.empty();
  }

  Result<void> validate_range(std::string_view text) const override {
    auto range = parse_range(text, Parsing::loose);
    if (!range) return std::unexpected(std::move(range.error()));
    return {};
  }

  // Unlike node-semver's satisfies(), an invalid version is an error here:
  // a typo in a pin must not read as "not in range".
  Result<bool> satisfies(std::string_view range_text, std::string_view version_text,
                         Prereleases prereleases) const override {
    auto range = parse_range(range_text, Parsing::loose);
    if (!range) return std::unexpected(std::move(range.error()));
    auto version = parse_version(version_text, Parsing::loose);
    if (!version) return std::unexpected(std::move(version.error()));
    return npm::satisfies(*range, *version, prereleases);
  }
};

}  // namespace

const VersionScheme& version_scheme() {
  static const Scheme scheme;
  return scheme;
}

}  // namespace driftlock::ecosystems::npm
