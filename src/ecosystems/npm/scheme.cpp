// The VersionScheme core sees: everything parsed loose, as npm itself reads
// versions from the registry and ranges from package.json.
#include "core/parse_memo.hpp"
#include "ecosystems/npm/version.hpp"

namespace driftlock::ecosystems::npm {

namespace {

Result<Version> loose_version(std::string_view text) {
  thread_local ParseMemo<Version> memo(16384);
  return memo.get(text, [](std::string_view t) { return parse_version(t, Parsing::loose); });
}

Result<Range> loose_range(std::string_view text) {
  thread_local ParseMemo<Range> memo(1024);
  return memo.get(text, [](std::string_view t) { return parse_range(t, Parsing::loose); });
}

class Scheme final : public VersionScheme {
 public:
  std::string_view ecosystem() const override { return "npm"; }

  Result<std::string> normalize(std::string_view text) const override {
    auto version = loose_version(text);
    if (!version) return std::unexpected(std::move(version.error()));
    return to_string(*version);
  }

  Result<int> compare(std::string_view a, std::string_view b) const override {
    auto left = loose_version(a);
    if (!left) return std::unexpected(std::move(left.error()));
    auto right = loose_version(b);
    if (!right) return std::unexpected(std::move(right.error()));
    return npm::compare(*left, *right);
  }

  Result<bool> is_prerelease(std::string_view text) const override {
    auto version = loose_version(text);
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
    auto range = loose_range(range_text);
    if (!range) return std::unexpected(std::move(range.error()));
    auto version = loose_version(version_text);
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
