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

Result<int> run_version(Context& context) {
  CLI::App app{"Compare versions and test ranges with an ecosystem's scheme.", "driftlock version"};
  configure_app(app);
  app.require_subcommand(0, 1);
  std::string eco, a, b, range, version;
  bool prereleases = false;

  CLI::App* compare = app.add_subcommand("compare",
                                         "print -1, 0 or 1 as A orders before, equal "
                                         "to or after B");
  compare->add_option("ecosystem", eco, "pypi, npm, debian or oci")->required();
  compare->add_option("a", a, "a version")->required();
  compare->add_option("b", b, "a version")->required();

  CLI::App* satisfies = app.add_subcommand("satisfies", "exit 0 if VERSION is in RANGE, 1 if not");
  satisfies->add_option("ecosystem", eco, "pypi, npm, debian or oci")->required();
  satisfies->add_option("range", range, "a range in the ecosystem's syntax")->required();
  satisfies->add_option("version", version, "a version")->required();
  satisfies->add_flag("--prereleases", prereleases, "let pre-releases satisfy the range");

  CLI::App* normalize = app.add_subcommand("normalize", "print the canonical spelling of VERSION");
  normalize->add_option("ecosystem", eco, "pypi, npm, debian or oci")->required();
  normalize->add_option("version", version, "a version")->required();

  auto parsed = parse_args(app, context);
  if (!parsed) return std::unexpected(parsed.error());
  if (*parsed == ParseStatus::helped) return 0;

  if (app.got_subcommand(compare)) {
    auto scheme = scheme_for(context, eco);
    if (!scheme) return std::unexpected(scheme.error());
    auto order = (*scheme)->compare(a, b);
    if (!order) return std::unexpected(order.error());
    context.out << (*order < 0 ? -1 : (*order > 0 ? 1 : 0)) << "\n";
    return 0;
  }
  if (app.got_subcommand(satisfies)) {
    auto scheme = scheme_for(context, eco);
    if (!scheme) return std::unexpected(scheme.error());
    auto yes = (*scheme)->satisfies(range, version,
                                    prereleases ? Prereleases::include : Prereleases::exclude);
    if (!yes) return std::unexpected(yes.error());
    return *yes ? 0 : 1;
  }
  if (app.got_subcommand(normalize)) {
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
