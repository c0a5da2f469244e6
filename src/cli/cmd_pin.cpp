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

Result<int> run_pin(Context& context, const Args& args) {
  const std::string& manifest_path = args.value("--manifest");
  auto request = parse_pin_argument(args.value("dependency"));
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

Result<int> run_unpin(Context& context, const Args& args) {
  const std::string& manifest_path = args.value("--manifest");
  auto ref = parse_unpin_argument(args.value("dependency"));
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
