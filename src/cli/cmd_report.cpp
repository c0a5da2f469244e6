// `driftlock report`: new releases since the snapshot, per dependency, for
// the nightly cron (text, Markdown or JSON). Changes nothing but the cache.
#include <ostream>

#include "cli/args.hpp"
#include "cli/publish_options.hpp"
#include "cli/resolve_options.hpp"
#include "publish/report_render.hpp"
#include "resolve/report.hpp"
#include "store/releases.hpp"

namespace driftlock::cli {

Result<int> run_report(Context& context) {
  CLI::App app{"Show the new releases since the snapshot.", "driftlock report"};
  configure_app(app);
  ResolveFlags flags;
  std::string format_name;
  add_resolve_options(app, flags);
  add_format_option(app, format_name);
  PublishFlags publish_flags;
  add_publish_options(app, publish_flags);
  auto parsed = parse_args(app, context);
  if (!parsed) return std::unexpected(parsed.error());
  if (*parsed == ParseStatus::helped) return 0;
  auto format = output_format(format_name);
  if (!format) return std::unexpected(format.error());
  auto publishing = prepare_publishing(publish_flags, context);
  if (!publishing) return std::unexpected(std::move(publishing.error()));

  auto session = resolve_for_command(context, flags, PublishTimes::needed);
  if (!session) return std::unexpected(std::move(session.error()));

  store::ReleaseLog log(session->state.database());
  auto first_seen = [&log](std::string_view ecosystem, std::string_view name,
                           std::string_view version) -> std::optional<Timestamp> {
    auto seen = log.first_seen(ecosystem, name, version);
    return seen ? *seen : std::nullopt;
  };
  const Snapshot* baseline = session->baseline ? &*session->baseline : nullptr;
  Report report =
      resolve::build_report(session->manifest, baseline, session->resolution, session->policy,
                            context.ecosystems, context.clock.now(), first_seen);
  context.out << publish::render_report(report, *format, context.color);
  publish_markdown(context, *publishing, report.image, "report", [&] {
    return publish::render_report(report, publish::OutputFormat::markdown, publish::Color::never);
  });
  return 0;
}

}  // namespace driftlock::cli
