// `driftlock pin ECO:NAME=VERSION` and `driftlock unpin ECO:NAME`: hold a
// dependency at a version, or release it, by editing its entry in the
// manifest in place (core/manifest_edit.hpp) so layout and comments survive.
#include <fmt/format.h>

#include <filesystem>
#include <ostream>

#include "cli/args.hpp"
#include "core/file.hpp"
#include "core/manifest.hpp"
#include "core/manifest_edit.hpp"

namespace driftlock::cli {
namespace {

constexpr std::string_view kPinFooter =
    "The dependency must be in the manifest; VERSION is checked and normalised with\n"
    "the ecosystem's scheme and must satisfy the dependency's range (pre-releases\n"
    "included). 'chalk = \"^4\"' becomes 'chalk = { range = \"^4\", hold = \"4.1.2\" }';\n"
    "an inline table or [dependencies.ECO.NAME] table gets its hold set.\n"
    "Image references contain ':' themselves: oci:127.0.0.1:5000/base=stable.\n";

constexpr std::string_view kUnpinFooter =
    "Removes the hold key; '{ range = \"^4\" }' left with only its range becomes \"^4\".\n"
    "A dependency without a hold is left alone (exit 0).\n";

struct ManifestFile {
  std::filesystem::path write_to;
  std::string text;
  Manifest manifest;
};

Result<ManifestFile> read_manifest(const std::string& path, EcosystemTable ecosystems) {
  auto text = read_file(path, "manifest");
  if (!text) return std::unexpected(std::move(text.error()));
  auto manifest = parse_manifest(*text, path, ecosystems);
  if (!manifest) return std::unexpected(std::move(manifest.error()));
  // Replace a symlinked manifest's target, not the link.
  std::filesystem::path write_to = path;
  std::error_code ec;
  if (std::filesystem::is_symlink(write_to, ec)) {
    auto target = std::filesystem::canonical(write_to, ec);
    if (!ec) write_to = target;
  }
  return ManifestFile{std::move(write_to), std::move(*text), std::move(*manifest)};
}

Result<void> save(const ManifestFile& file, const std::string& edited) {
  if (edited == file.text) return {};
  return write_file_atomically(file.write_to, edited);
}

}  // namespace

Result<int> run_pin(Context& context) {
  CLI::App app{"Hold a dependency at a version: sets its hold in the manifest.", "driftlock pin"};
  configure_app(app);
  std::string argument, manifest_path;
  app.add_option("dependency", argument, "ECO:NAME=VERSION, e.g. npm:chalk=4.1.2")
      ->required()
      ->type_name("ECO:NAME=VERSION");
  add_manifest_option(app, manifest_path);
  app.footer(std::string(kPinFooter));
  auto parsed = parse_args(app, context);
  if (!parsed) return std::unexpected(parsed.error());
  if (*parsed == ParseStatus::helped) return 0;

  auto request = parse_pin_argument(argument);
  if (!request) return std::unexpected(request.error());
  auto file = read_manifest(manifest_path, context.ecosystems);
  if (!file) return std::unexpected(file.error());
  auto spec = find_dependency(file->manifest, request->dependency, context.ecosystems);
  if (!spec) return std::unexpected(spec.error());
  auto version = pin_version(**spec, request->version, context.ecosystems);
  if (!version) return std::unexpected(version.error());
  auto edited = set_hold(file->text, file->manifest, **spec, *version, context.ecosystems);
  if (!edited) return std::unexpected(edited.error());
  if (auto saved = save(*file, *edited); !saved) return std::unexpected(saved.error());
  context.out << fmt::format("pinned {} {} at {} in {}\n", (*spec)->ecosystem, (*spec)->name,
                             *version, manifest_path);
  return 0;
}

Result<int> run_unpin(Context& context) {
  CLI::App app{"Remove a dependency's hold from the manifest.", "driftlock unpin"};
  configure_app(app);
  std::string argument, manifest_path;
  app.add_option("dependency", argument, "ECO:NAME, e.g. npm:chalk")
      ->required()
      ->type_name("ECO:NAME");
  add_manifest_option(app, manifest_path);
  app.footer(std::string(kUnpinFooter));
  auto parsed = parse_args(app, context);
  if (!parsed) return std::unexpected(parsed.error());
  if (*parsed == ParseStatus::helped) return 0;

  auto ref = parse_unpin_argument(argument);
  if (!ref) return std::unexpected(ref.error());
  auto file = read_manifest(manifest_path, context.ecosystems);
  if (!file) return std::unexpected(file.error());
  auto spec = find_dependency(file->manifest, *ref, context.ecosystems);
  if (!spec) return std::unexpected(spec.error());
  // Nothing to undo is not a failure: scripts may unpin unconditionally.
  if (!(*spec)->hold) {
    context.out << fmt::format("{} {} has no hold in {}\n", (*spec)->ecosystem, (*spec)->name,
                               manifest_path);
    return 0;
  }
  auto edited = remove_hold(file->text, file->manifest, **spec, context.ecosystems);
  if (!edited) return std::unexpected(edited.error());
  if (auto saved = save(*file, *edited); !saved) return std::unexpected(saved.error());
  context.out << fmt::format("unpinned {} {} in {}\n", (*spec)->ecosystem, (*spec)->name,
                             manifest_path);
  return 0;
}

}  // namespace driftlock::cli
