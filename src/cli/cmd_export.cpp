// `driftlock export --format pip|npm|apt|oci|env [-m driftlock.toml] [-o FILE]`:
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

struct ExportFormat {
  std::string_view name;
  std::string_view ecosystem;  // empty for env
};

constexpr std::array<ExportFormat, 5> kFormats = {{
    {"pip", "pypi"},
    {"npm", "npm"},
    {"apt", "debian"},
    {"oci", "oci"},
    {"env", ""},
}};

constexpr std::string_view kFormatsHelp =
    "formats:\n"
    "  pip  constraints.txt: 'name==version' lines (pip install -c FILE)\n"
    "  npm  npm-pins.json: {\"name\": \"version\"}, for package.json \"overrides\"\n"
    "  apt  apt-pins.txt: 'name=version' lines (apt-get install $(cat FILE))\n"
    "  oci  oci.env: 'KEY=name@sha256:...' lines, KEY from the manifest\n"
    "       (buildah bud --build-arg-file FILE)\n"
    "  env  every pin as a variable, as build commands get them:\n"
    "         DRIFTLOCK_OCI_<KEY>=name@sha256:...\n"
    "         DRIFTLOCK_PIP_<NAME>=version, DRIFTLOCK_NPM_<NAME>=version,\n"
    "         DRIFTLOCK_APT_<NAME>=version\n"
    "       NAME is the package name in upper case, each run of other characters\n"
    "       than letters and digits one '_' (@babel/core -> BABEL_CORE); for\n"
    "       docker --env-file, buildah --build-arg-file or 'set -a; . FILE'\n"
    "\n"
    "Output is sorted and byte-stable; with -o the file is replaced atomically.\n";

Result<const ExportFormat*> find_format(const std::string& name) {
  for (const ExportFormat& f : kFormats) {
    if (f.name == name) return &f;
  }
  std::vector<std::string_view> names;
  for (const ExportFormat& f : kFormats) names.push_back(f.name);
  return fail(ErrorKind::usage,
              fmt::format("unknown export format '{}' (expected pip, npm, apt, oci or env){}", name,
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
  return ecosystem->exporter->render(mine, options);
}

}  // namespace

Result<int> run_export(Context& context) {
  CLI::App app{"Print the snapshot's pinned versions as an installer reads them.",
               "driftlock export"};
  configure_app(app);
  std::string format_name, manifest_path, output, snapshot_path;
  app.add_option("--format", format_name, "pip, npm, apt, oci or env (see below)")
      ->required()
      ->type_name("FORMAT");
  add_manifest_option(app, manifest_path);
  app.add_option("-o,--output", output, "write to FILE instead of standard output")
      ->type_name("FILE");
  app.add_option("--snapshot", snapshot_path, "export this lock file instead (a candidate's too)")
      ->type_name("FILE");
  app.footer(std::string(kFormatsHelp));
  auto parsed = parse_args(app, context);
  if (!parsed) return std::unexpected(parsed.error());
  if (*parsed == ParseStatus::helped) return 0;
  auto format = find_format(format_name);
  if (!format) return std::unexpected(format.error());

  // The manifest gives the snapshot's path and the OCI keys; with --snapshot
  // it is optional (keys are then derived from the image names).
  ExportOptions options;
  std::filesystem::path lock = snapshot_path;
  const bool need_manifest = snapshot_path.empty() || app.count("--manifest") > 0;
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
  return 0;
}

}  // namespace driftlock::cli
