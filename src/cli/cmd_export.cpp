// `driftlock export --format pip|npm|npm-overrides|apt|oci|env [-m driftlock.toml] [-o FILE]`:
// the snapshot's pins as installers read them, to reproduce an image's exact
// versions locally. The same text a candidate folder holds (core/exporter.hpp).
#include <fmt/format.h>

#include <array>
#include <filesystem>
#include <ostream>

#include "cli/args.hpp"
#include "core/exporter.hpp"
#include "core/file.hpp"
#include "core/manifest.hpp"
#include "core/snapshot.hpp"
#include "core/suggest.hpp"

namespace driftlock::cli {
namespace {

// Which of an exporter's files a format prints.
enum class Part { main, companion };

struct ExportFormat {
  std::string_view name;
  std::string_view ecosystem;  // empty for env
  Part part = Part::main;
};

constexpr std::array<ExportFormat, 6> kFormats = {{
    {"pip", "pypi"},
    {"npm", "npm"},
    {"npm-overrides", "npm", Part::companion},
    {"apt", "debian"},
    {"oci", "oci"},
    {"env", ""},
}};

Result<const ExportFormat*> find_format(const std::string& name) {
  for (const ExportFormat& f : kFormats) {
    if (f.name == name) return &f;
  }
  std::vector<std::string_view> names;
  for (const ExportFormat& f : kFormats) names.push_back(f.name);
  return fail(
      ErrorKind::usage,
      fmt::format(
          "unknown export format '{}' (expected pip, npm, npm-overrides, apt, oci or env){}", name,
          did_you_mean(name, names)));
}

Result<std::string> render(const ExportFormat& format, const std::vector<Dependency>& deps,
                           EcosystemTable ecosystems, const ExportOptions& options) {
  if (format.ecosystem.empty()) {
    auto set = export_all(deps, ecosystems, options);
    if (!set) return std::unexpected(set.error());
    return render_env_lines(set->variables);
  }
  const Ecosystem* ecosystem = find_ecosystem(ecosystems, format.ecosystem);
  if (!ecosystem || !ecosystem->exporter) {
    return fail_input(fmt::format("the {} ecosystem has no export", format.ecosystem));
  }
  std::vector<Dependency> mine;
  for (const Dependency& d : deps) {
    if (d.ecosystem == format.ecosystem) mine.push_back(d);
  }
  return format.part == Part::companion ? ecosystem->exporter->render_companion(mine, options)
                                        : ecosystem->exporter->render(mine, options);
}

}  // namespace

Result<int> run_export(Context& context, const Args& args) {
  const std::string& manifest_path = args.value("--manifest");
  const std::string& output = args.value("--output");
  const std::string& snapshot_path = args.value("--snapshot");
  auto format = find_format(args.value("--format"));
  if (!format) return std::unexpected(format.error());

  // The manifest gives the snapshot's path and the OCI keys; with --snapshot
  // it is optional (keys are then derived from the image names).
  ExportOptions options;
  std::filesystem::path lock = snapshot_path;
  const bool need_manifest = snapshot_path.empty() || args.given("--manifest");
  std::error_code ec;
  if (need_manifest || std::filesystem::exists(manifest_path, ec)) {
    auto manifest = load_manifest(manifest_path, context.ecosystems);
    if (!manifest) return std::unexpected(manifest.error());
    options = export_options(*manifest);
    if (lock.empty()) lock = manifest->snapshot;
  }
  if (!std::filesystem::exists(lock, ec)) {
    return fail_input(fmt::format(
        "no snapshot at '{}' yet: the first green 'driftlock run' writes it", lock.string()));
  }
  auto snapshot = load_snapshot(lock, context.ecosystems);
  if (!snapshot) return std::unexpected(snapshot.error());

  auto text = render(**format, snapshot->dependencies, context.ecosystems, options);
  if (!text) return std::unexpected(text.error());
  if (output.empty()) {
    context.out << *text;
    return 0;
  }
  if (auto r = write_file_atomically(output, *text); !r) return std::unexpected(r.error());
  detail(context, fmt::format("wrote {} from {}", output, lock.string()));
  return 0;
}

}  // namespace driftlock::cli
