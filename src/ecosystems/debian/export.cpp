#include "ecosystems/debian/export.hpp"

#include <fmt/format.h>

#include "ecosystems/debian/name.hpp"
#include "ecosystems/debian/version.hpp"

namespace driftlock::ecosystems::debian {
namespace {

class AptExporter final : public Exporter {
 public:
  std::string_view file_name() const override { return "apt-pins.txt"; }

  Result<std::string> render(std::span<const Dependency> deps,
                             const ExportOptions&) const override {
    auto sorted = exportable_sorted(entry(), deps);
    if (!sorted) return std::unexpected(sorted.error());
    std::string out;
    for (const Dependency& dep : *sorted) out += fmt::format("{}={}\n", dep.name, dep.version);
    return out;
  }

  Result<std::vector<ExportVariable>> variables(std::span<const Dependency> deps,
                                                const ExportOptions&) const override {
    auto sorted = exportable_sorted(entry(), deps);
    if (!sorted) return std::unexpected(sorted.error());
    return package_variables("debian", "APT", *sorted);
  }

 private:
  static const Ecosystem& entry() {
    static const Ecosystem debian{"debian", &version_scheme(), &validate_name};
    return debian;
  }
};

}  // namespace

const Exporter& exporter() {
  static const AptExporter instance;
  return instance;
}

}  // namespace driftlock::ecosystems::debian
