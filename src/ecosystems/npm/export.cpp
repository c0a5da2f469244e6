#include "ecosystems/npm/export.hpp"

#include <nlohmann/json.hpp>

#include "ecosystems/npm/name.hpp"
#include "ecosystems/npm/version.hpp"

namespace driftlock::ecosystems::npm {
namespace {

class NpmExporter final : public Exporter {
 public:
  std::string_view file_name() const override { return "npm-pins.json"; }

  Result<std::string> render(std::span<const Dependency> deps,
                             const ExportOptions&) const override {
    auto sorted = exportable_sorted(entry(), deps);
    if (!sorted) return std::unexpected(sorted.error());
    // nlohmann::json keeps object keys in a std::map: sorted, as the format promises.
    nlohmann::json pins = nlohmann::json::object();
    for (const Dependency& dep : *sorted) pins[dep.name] = dep.version;
    return pins.dump(2) + "\n";
  }

  // {"overrides": {"name": "version"}} for every pin: merged into a
  // package.json, npm installs each package at its pinned version wherever
  // it appears, so nested copies cannot differ from the snapshot's closure.
  std::string_view companion_file_name() const override { return "npm-overrides.json"; }
  Result<std::string> render_companion(std::span<const Dependency> deps,
                                       const ExportOptions&) const override {
    auto sorted = exportable_sorted(entry(), deps);
    if (!sorted) return std::unexpected(sorted.error());
    nlohmann::json overrides = nlohmann::json::object();
    for (const Dependency& dep : *sorted) overrides[dep.name] = dep.version;
    nlohmann::json document = nlohmann::json::object();
    document["overrides"] = std::move(overrides);
    return document.dump(2) + "\n";
  }

  Result<std::vector<ExportVariable>> variables(std::span<const Dependency> deps,
                                                const ExportOptions&) const override {
    auto sorted = exportable_sorted(entry(), deps);
    if (!sorted) return std::unexpected(sorted.error());
    return package_variables("npm", "NPM", *sorted);
  }

 private:
  static const Ecosystem& entry() {
    static const Ecosystem npm{"npm", &version_scheme(), &validate_name};
    return npm;
  }
};

}  // namespace

const Exporter& exporter() {
  static const NpmExporter instance;
  return instance;
}

}  // namespace driftlock::ecosystems::npm
