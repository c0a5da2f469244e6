#include "ecosystems/pypi/export.hpp"

#include <fmt/format.h>

#include "ecosystems/pypi/name.hpp"
#include "ecosystems/pypi/version.hpp"

namespace driftlock::ecosystems::pypi {
namespace {

class PipExporter final : public Exporter {
 public:
  std::string_view file_name() const override { return "constraints.txt"; }

  Result<std::string> render(std::span<const Dependency> deps,
                             const ExportOptions&) const override {
    auto sorted = exportable_sorted(entry(), deps);
    if (!sorted) return std::unexpected(sorted.error());
    std::string out;
    for (const Dependency& dep : *sorted) out += fmt::format("{}=={}\n", dep.name, dep.version);
    return out;
  }

  Result<std::vector<ExportVariable>> variables(std::span<const Dependency> deps,
                                                const ExportOptions&) const override {
    auto sorted = exportable_sorted(entry(), deps);
    if (!sorted) return std::unexpected(sorted.error());
    return package_variables("pypi", "PIP", *sorted);
  }

 private:
  static const Ecosystem& entry() {
    static const Ecosystem pypi{"pypi", &version_scheme(), &validate_name};
    return pypi;
  }
};

}  // namespace

const Exporter& exporter() {
  static const PipExporter instance;
  return instance;
}

}  // namespace driftlock::ecosystems::pypi
