#include "cli/resolve_options.hpp"

#include <fmt/format.h>

#include <ostream>

#include "core/text.hpp"
#include "net/redact.hpp"
#include "pipeline/closure.hpp"
#include "resolve/report.hpp"
#include "store/releases.hpp"

namespace driftlock::cli {

store::LockWait lock_wait(Context& context, const Args& args) {
  store::LockWait wait;
  wait.timeout = std::chrono::seconds(args.integer("--wait").value_or(0));
  wait.on_wait = [&context](const std::string& holder) {
    say(context,
        fmt::format("waiting for another driftlock run ({}) to release the state folder", holder));
  };
  return wait;
}

Result<resolve::Session> resolve_for_command(
    Context& context, const Args& args, PublishTimes times, store::Locking locking,
    std::function<Result<bool>(const Manifest&, store::StateDir&)> on_locked) {
  resolve::SessionOptions options;
  options.on_locked = std::move(on_locked);
  options.times = times;
  options.locking = locking;
  if (locking == store::Locking::exclusive) options.wait = lock_wait(context, args);
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
    context.err << "driftlock: warning: " << net::redact(warning) << "\n";
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
  Report report =
      resolve::build_report(session.manifest, baseline, session.resolution, session.policy,
                            context.ecosystems, context.clock.now(), first_seen);
  pipeline::attach_via(
      report, session.manifest,
      pipeline::read_closure_via(session.state.database(), session.manifest.image));
  return report;
}

}  // namespace driftlock::cli
