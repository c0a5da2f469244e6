#include "cli/resolve_options.hpp"

#include <fmt/format.h>

#include <ostream>

#include "core/text.hpp"
#include "resolve/report.hpp"
#include "store/releases.hpp"

namespace driftlock::cli {

Result<resolve::Session> resolve_for_command(Context& context, const Args& args,
                                             PublishTimes times) {
  resolve::SessionOptions options;
  options.times = times;
  if (const std::string& text = args.value("--as-of"); !text.empty()) {
    auto as_of = parse_timestamp(text);
    if (!as_of) return fail(ErrorKind::usage, "--as-of: " + as_of.error().message);
    options.as_of = *as_of;
  }
  if (const std::string& dir = args.value("--state-dir"); !dir.empty()) {
    options.state_folder = dir;
  }
  if (context.progress) options.progress = &context.err;

  auto session = resolve::open_and_resolve(args.value("--manifest"), context.ecosystems,
                                           context.clock, std::move(options));
  if (!session) return std::unexpected(std::move(session.error()));
  const resolve::CacheStats& cache = session->cache;
  detail(context,
         fmt::format("resolved {} from {}: {} requests, {} answered 304 from the cache, "
                     "{} KiB received",
                     counted(session->manifest.dependencies.size(), "dependency", "dependencies"),
                     args.value("--manifest"), cache.requests, cache.not_modified,
                     (cache.body_bytes + 1023) / 1024));
  for (const std::string& warning : session->warnings) {
    context.err << "driftlock: warning: " << warning << "\n";
  }
  if (!session->resolution.complete()) {
    return std::unexpected(resolve::summarize_failures(session->resolution.failures));
  }
  return session;
}

Report pending_report(const Context& context, resolve::Session& session, const Snapshot* baseline) {
  store::ReleaseLog log(session.state.database());
  auto first_seen = [&log](std::string_view ecosystem, std::string_view name,
                           std::string_view version) -> std::optional<Timestamp> {
    auto seen = log.first_seen(ecosystem, name, version);
    return seen ? *seen : std::nullopt;
  };
  return resolve::build_report(session.manifest, baseline, session.resolution, session.policy,
                               context.ecosystems, context.clock.now(), first_seen);
}

}  // namespace driftlock::cli
