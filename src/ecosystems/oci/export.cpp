#include "ecosystems/oci/export.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/manifest.hpp"
#include "ecosystems/oci/name.hpp"
#include "ecosystems/oci/version.hpp"

namespace driftlock::ecosystems::oci {
namespace {

bool is_lower_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// The digests registries use for manifests (OCI image spec, "Digests").
bool is_image_digest(std::string_view digest) {
  for (auto [algorithm, length] :
       {std::pair<std::string_view, std::size_t>{"sha256:", 64}, {"sha512:", 128}}) {
    if (digest.starts_with(algorithm)) {
      std::string_view hex = digest.substr(algorithm.size());
      return hex.size() == length && is_lower_hex(hex);
    }
  }
  return false;
}

bool is_env_key(std::string_view key) {
  if (key.empty() || (key[0] >= '0' && key[0] <= '9')) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

const Ecosystem& entry() {
  static const Ecosystem oci{"oci", &version_scheme(), &validate_name};
  return oci;
}

// KEY -> name@digest, checked: every image has a digest and a key of its own.
Result<std::map<std::string, std::string>> references(std::span<const Dependency> deps,
                                                      const ExportOptions& options) {
  auto sorted = exportable_sorted(entry(), deps);
  if (!sorted) return std::unexpected(sorted.error());
  std::map<std::string, std::string> by_key;
  std::map<std::string, std::string> owner;
  for (const Dependency& dep : *sorted) {
    auto refuse = [&](const std::string& reason) {
      return fail_input(fmt::format("cannot export oci dependency '{}': {}", dep.name, reason));
    };
    if (!dep.digest) return refuse("no digest (an image is exported as name@sha256:digest)");
    if (!is_image_digest(*dep.digest)) {
      return refuse(
          fmt::format("digest '{}' is not sha256:<64 hex digits> or sha512:<128 hex "
                      "digits>",
                      *dep.digest));
    }
    auto found = options.oci_keys.find(dep.name);
    std::string key = found != options.oci_keys.end() ? found->second : derive_oci_key(dep.name);
    if (!is_env_key(key)) {
      return refuse(fmt::format("env key '{}' must match [A-Z_][A-Z0-9_]*", key));
    }
    if (auto [it, inserted] = owner.emplace(key, dep.name); !inserted) {
      return fail_input(fmt::format(
          "oci dependencies '{}' and '{}' both use the env key {}; set key = \"...\" for one "
          "of them in the manifest",
          it->second, dep.name, key));
    }
    by_key[key] = fmt::format("{}@{}", dep.name, *dep.digest);
  }
  return by_key;
}

class OciExporter final : public Exporter {
 public:
  std::string_view file_name() const override { return "oci.env"; }

  std::span<const std::string_view> also_written_as() const override {
    static constexpr std::string_view names[] = {"build-args.env"};
    return names;
  }

  Result<std::string> render(std::span<const Dependency> deps,
                             const ExportOptions& options) const override {
    auto refs = references(deps, options);
    if (!refs) return std::unexpected(refs.error());
    std::string out;
    for (const auto& [key, ref] : *refs) out += fmt::format("{}={}\n", key, ref);
    return out;
  }

  Result<std::vector<ExportVariable>> variables(std::span<const Dependency> deps,
                                                const ExportOptions& options) const override {
    auto refs = references(deps, options);
    if (!refs) return std::unexpected(refs.error());
    std::vector<ExportVariable> out;
    for (const auto& [key, ref] : *refs) out.push_back({"DRIFTLOCK_OCI_" + key, ref});
    return out;
  }
};

}  // namespace

const Exporter& exporter() {
  static const OciExporter instance;
  return instance;
}

}  // namespace driftlock::ecosystems::oci
