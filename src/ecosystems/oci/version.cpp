#include "ecosystems/oci/version.hpp"

namespace driftlock::ecosystems::oci {
namespace {

// Placeholder until the scheme lands.
class Scheme final : public VersionScheme {
 public:
  std::string_view ecosystem() const override { return "oci"; }
  Result<std::string> normalize(std::string_view v) const override { return std::string(v); }
  Result<int> compare(std::string_view a, std::string_view b) const override {
    return a < b ? -1 : (a == b ? 0 : 1);
  }
  Result<bool> is_prerelease(std::string_view) const override { return false; }
  Result<void> validate_range(std::string_view) const override { return {}; }
  Result<bool> satisfies(std::string_view, std::string_view, Prereleases) const override {
    return true;
  }
};

}  // namespace

const VersionScheme& version_scheme() {
  static const Scheme scheme;
  return scheme;
}

}  // namespace driftlock::ecosystems::oci
