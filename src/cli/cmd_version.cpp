// `driftlock version compare|satisfies|normalize ECO ...`: the version schemes
// from the command line, for scripts and for checking driftlock's ordering.
#include <fmt/format.h>

#include <ostream>

#include "cli/args.hpp"
#include "core/suggest.hpp"

namespace driftlock::cli {
namespace {

Result<const VersionScheme*> scheme_for(const Context& context, const std::string& name) {
  if (const Ecosystem* e = find_ecosystem(context.ecosystems, name)) return e->scheme;
  std::vector<std::string_view> names;
  for (const Ecosystem& e : context.ecosystems) names.push_back(e.name);
  return fail(ErrorKind::usage, fmt::format("unknown ecosystem '{}' (expected one of {}){}", name,
                                            fmt::join(names, ", "), did_you_mean(name, names)));
}

}  // namespace

Result<int> run_version(Context& context, const Args& args) {
  const std::string& sub = args.subcommand();
  const std::string& eco = args.value("ecosystem");
  const std::string& version = args.value("version");
  if (sub == "compare") {
    auto scheme = scheme_for(context, eco);
    if (!scheme) return std::unexpected(scheme.error());
    auto order = (*scheme)->compare(args.value("a"), args.value("b"));
    if (!order) return std::unexpected(order.error());
    context.out << (*order < 0 ? -1 : (*order > 0 ? 1 : 0)) << "\n";
    return 0;
  }
  if (sub == "satisfies") {
    auto scheme = scheme_for(context, eco);
    if (!scheme) return std::unexpected(scheme.error());
    auto yes = (*scheme)->satisfies(
        args.value("range"), version,
        args.given("--prereleases") ? Prereleases::include : Prereleases::exclude);
    if (!yes) return std::unexpected(yes.error());
    return *yes ? 0 : 1;
  }
  if (sub == "normalize") {
    auto scheme = scheme_for(context, eco);
    if (!scheme) return std::unexpected(scheme.error());
    auto canonical = (*scheme)->normalize(version);
    if (!canonical) return std::unexpected(canonical.error());
    context.out << *canonical << "\n";
    return 0;
  }
  context.out << "driftlock " << DRIFTLOCK_VERSION << "\n";
  return 0;
}

}  // namespace driftlock::cli
