#include "cli/resolve_options.hpp"

#include <fmt/format.h>

#include <ostream>

#include "cli/args.hpp"

namespace driftlock::cli {

void add_resolve_options(CLI::App& app, ResolveFlags& flags) {
  add_manifest_option(app, flags.manifest);
  app.add_option("--as-of", flags.as_of,
                 "resolve as if it were this moment (RFC 3339, e.g. 2024-08-01T00:00:00Z)");
  add_state_dir_option(app, flags.state_dir);
}

Result<resolve::Session> resolve_for_command(Context& context, const ResolveFlags& flags,
                                             PublishTimes times) {
  resolve::SessionOptions options;
  options.times = times;
  if (!flags.as_of.empty()) {
    auto as_of = parse_timestamp(flags.as_of);
    if (!as_of) return fail(ErrorKind::usage, "--as-of: " + as_of.error().message);
    options.as_of = *as_of;
  }
  if (!flags.state_dir.empty()) options.state_folder = flags.state_dir;
  if (context.progress) options.progress = &context.err;

  auto session = resolve::open_and_resolve(flags.manifest, context.ecosystems, context.clock,
                                           std::move(options));
  if (!session) return std::unexpected(std::move(session.error()));
  for (const std::string& warning : session->warnings) {
    context.err << "driftlock: warning: " << warning << "\n";
  }
  if (!session->resolution.complete()) {
    return std::unexpected(resolve::summarize_failures(session->resolution.failures));
  }
  return session;
}

}  // namespace driftlock::cli
