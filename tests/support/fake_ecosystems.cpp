#include "support/fake_ecosystems.hpp"

#include <fmt/format.h>

#include <array>
#include <vector>

namespace driftlock::testing {
namespace {

Result<std::vector<long long>> parts(std::string_view v) {
  std::vector<long long> out;
  long long current = 0;
  bool digit = false;
  for (char c : v) {
    if (c >= '0' && c <= '9') {
      current = current * 10 + (c - '0');
      digit = true;
    } else if (c == '.' && digit) {
      out.push_back(current);
      current = 0;
      digit = false;
    } else {
      return fail_input(fmt::format("invalid fake version '{}'", v));
    }
  }
  if (!digit) return fail_input(fmt::format("invalid fake version '{}'", v));
  out.push_back(current);
  return out;
}

class FakeScheme final : public VersionScheme {
 public:
  explicit FakeScheme(std::string_view name) : m_name(name) {}
  std::string_view ecosystem() const override { return m_name; }
  Result<std::string> normalize(std::string_view v) const override {
    auto p = parts(v);
    if (!p) return std::unexpected(p.error());
    return std::string(v);
  }
  Result<int> compare(std::string_view a, std::string_view b) const override {
    auto pa = parts(a);
    if (!pa) return std::unexpected(pa.error());
    auto pb = parts(b);
    if (!pb) return std::unexpected(pb.error());
    return *pa < *pb ? -1 : (*pa == *pb ? 0 : 1);
  }
  Result<bool> is_prerelease(std::string_view) const override { return false; }
  Result<void> validate_range(std::string_view range) const override {
    if (range == "*") return {};
    if (range.starts_with(">=") && parts(range.substr(2))) return {};
    return fail_input(fmt::format("invalid fake range '{}'", range));
  }
  Result<bool> satisfies(std::string_view range, std::string_view version,
                         Prereleases) const override {
    if (auto ok = validate_range(range); !ok) return std::unexpected(ok.error());
    if (range == "*") return true;
    auto order = compare(version, range.substr(2));
    if (!order) return std::unexpected(order.error());
    return *order >= 0;
  }

 private:
  std::string_view m_name;
};

Result<void> validate_fake_name(std::string_view name) {
  if (name.empty()) return fail_input("empty package name");
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == ':' ||
              c == '/' || c == '.';
    if (!ok) return fail_input(fmt::format("invalid fake name '{}'", name));
  }
  return {};
}

const FakeScheme kDebian("debian"), kNpm("npm"), kOci("oci"), kPypi("pypi");

}  // namespace

EcosystemTable fake_ecosystems() {
  static const std::array<Ecosystem, 4> table = {
      Ecosystem{"debian", &kDebian, &validate_fake_name},
      Ecosystem{"npm", &kNpm, &validate_fake_name},
      Ecosystem{"oci", &kOci, &validate_fake_name},
      Ecosystem{"pypi", &kPypi, &validate_fake_name},
  };
  return table;
}

}  // namespace driftlock::testing
