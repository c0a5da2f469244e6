// `driftlock validate [-m driftlock.toml] [SNAPSHOT...]`: checks the manifest,
// the snapshot it names, and any extra snapshot files; changes nothing.
#include <fmt/format.h>

#include <filesystem>
#include <ostream>

#include "cli/args.hpp"
#include "core/manifest.hpp"
#include "core/snapshot.hpp"
#include "core/text.hpp"

namespace driftlock::cli {
namespace {

std::string dependencies(std::size_t n) {
  return counted(n, "dependency", "dependencies");
}

Result<void> check_snapshot(Context& context, const std::filesystem::path& path,
                            const std::string* expected_image) {
  auto snapshot = load_snapshot(path, context.ecosystems);
  if (!snapshot) return std::unexpected(snapshot.error());
  if (expected_image && snapshot->image != *expected_image) {
    return fail_input(fmt::format("{}: snapshot is for image '{}' but the manifest names '{}'",
                                  path.string(), snapshot->image, *expected_image));
  }
  context.out << fmt::format("{}: ok (image {}, {}, {} held)\n", path.string(), snapshot->image,
                             dependencies(snapshot->dependencies.size()), snapshot->held.size());
  return {};
}

}  // namespace

Result<int> run_validate(Context& context, const Args& args) {
  const std::string& manifest_path = args.value("--manifest");
  const std::vector<std::string>& extra = args.values("snapshots");

  // With only snapshot files named and no manifest present, check just those.
  const bool manifest_given = args.given("--manifest");
  if (manifest_given || extra.empty() || std::filesystem::exists(manifest_path)) {
    auto manifest = load_manifest(manifest_path, context.ecosystems);
    if (!manifest) return std::unexpected(manifest.error());
    context.out << fmt::format("{}: ok (image {}, {})\n", manifest_path, manifest->image,
                               dependencies(manifest->dependencies.size()));
    std::error_code ec;
    if (std::filesystem::exists(manifest->snapshot, ec)) {
      if (auto r = check_snapshot(context, manifest->snapshot, &manifest->image); !r) {
        return std::unexpected(r.error());
      }
    } else {
      context.out << fmt::format("{}: not written yet (the first green run creates it)\n",
                                 manifest->snapshot.string());
    }
  }
  for (const std::string& path : extra) {
    if (auto r = check_snapshot(context, path, nullptr); !r) return std::unexpected(r.error());
  }
  return 0;
}

}  // namespace driftlock::cli
