// `driftlock unhold ECO:NAME[=VERSION]`: releases a culprit the snapshot
// holds back, so the next run tries that release again (after the image
// builder was fixed, say). Rewrites only the snapshot's "held" list.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <ostream>

#include "cli/args.hpp"
#include "core/manifest.hpp"
#include "core/manifest_edit.hpp"
#include "core/snapshot.hpp"
#include "core/text.hpp"

namespace driftlock::cli {
namespace {

struct UnholdRequest {
  std::string ecosystem;
  std::string name;
  std::optional<std::string> version;
};

// "pypi:dl-calc" or "pypi:dl-calc=2.0.0"; image names hold ':' themselves
// and held digests too ("oci:host:5000/base=sha256:..."), so the version is
// after the first '=' that follows the ecosystem.
Result<UnholdRequest> parse_unhold_argument(std::string_view argument) {
  const std::size_t colon = argument.find(':');
  const std::size_t equals = argument.find('=', colon == std::string_view::npos ? 0 : colon);
  const std::string_view name = colon == std::string_view::npos
                                    ? std::string_view()
                                    : argument.substr(colon + 1, equals - colon - 1);
  if (colon == std::string_view::npos || colon == 0 || name.empty() ||
      (equals != std::string_view::npos && equals + 1 == argument.size())) {
    return fail(ErrorKind::usage,
                fmt::format("unhold: expected ECO:NAME or ECO:NAME=VERSION (e.g. pypi:dl-calc), "
                            "not '{}'",
                            escape_for_message(argument, 200)));
  }
  UnholdRequest request{std::string(argument.substr(0, colon)), std::string(name), std::nullopt};
  if (equals != std::string_view::npos) request.version = std::string(argument.substr(equals + 1));
  return request;
}

bool matches(const HeldBack& held, const UnholdRequest& request, std::string_view name) {
  return held.ecosystem == request.ecosystem && held.name == name &&
         (!request.version || held.version == *request.version);
}

}  // namespace

Result<int> run_unhold(Context& context, const Args& args) {
  auto request = parse_unhold_argument(args.value("dependency"));
  if (!request) return std::unexpected(request.error());
  auto manifest = load_manifest(args.value("--manifest"), context.ecosystems);
  if (!manifest) return std::unexpected(manifest.error());
  std::error_code ec;
  if (!std::filesystem::exists(manifest->snapshot, ec)) {
    return fail_input(
        fmt::format("{}: no snapshot yet, so nothing is held back", manifest->snapshot.string()));
  }
  auto snapshot = load_snapshot(manifest->snapshot, context.ecosystems);
  if (!snapshot) return std::unexpected(snapshot.error());

  const std::string& name = request->name;
  std::vector<HeldBack> released;
  std::erase_if(snapshot->held, [&](const HeldBack& h) {
    if (!matches(h, *request, name)) return false;
    released.push_back(h);
    return true;
  });
  if (released.empty()) {
    // A name the manifest does not have gets its "did you mean".
    if (auto spec = find_dependency(*manifest, {request->ecosystem, name}, context.ecosystems);
        !spec) {
      return std::unexpected(spec.error());
    }
    std::vector<std::string> held;
    for (const HeldBack& h : snapshot->held) {
      held.push_back(fmt::format("{}:{}={}", h.ecosystem, h.name, h.version));
    }
    return fail_input(fmt::format(
        "{}: {} {}{} is not held back ({})", manifest->snapshot.string(), request->ecosystem,
        request->name, request->version ? " " + *request->version : "",
        held.empty() ? std::string("nothing is") : fmt::format("held: {}", fmt::join(held, ", "))));
  }
  if (auto saved = save_snapshot(manifest->snapshot, *snapshot); !saved) {
    return std::unexpected(saved.error());
  }
  for (const HeldBack& h : released) {
    context.out << fmt::format("released {} {} {} in {}: the next run tries it again\n",
                               h.ecosystem, h.name, h.version, manifest->snapshot.string());
  }
  return 0;
}

}  // namespace driftlock::cli
