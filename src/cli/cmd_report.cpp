// `driftlock report`: new releases since the snapshot, per dependency, for
// the nightly cron (text, Markdown or JSON). Changes nothing but the cache;
// --comment and --dashboard post it.
#include <ostream>

#include "cli/args.hpp"
#include "cli/dashboard.hpp"
#include "cli/publish_options.hpp"
#include "cli/resolve_options.hpp"
#include "publish/report_render.hpp"

namespace driftlock::cli {

Result<int> run_report(Context& context, const Args& args) {
  auto format = output_format(args);
  if (!format) return std::unexpected(format.error());
  auto publishing = prepare_publishing(args, context);
  if (!publishing) return std::unexpected(std::move(publishing.error()));
  auto dashboard = prepare_dashboard(args.value("--dashboard"), context);
  if (!dashboard) return std::unexpected(std::move(dashboard.error()));

  auto session = resolve_for_command(context, args, PublishTimes::needed, store::Locking::shared);
  if (!session) return std::unexpected(std::move(session.error()));

  const Snapshot* baseline = session->baseline ? &*session->baseline : nullptr;
  const Report report = pending_report(context, *session, baseline);
  context.out << publish::render_report(report, *format, context.color);
  publish_markdown(context, *publishing, report.image, "report", [&] {
    return publish::render_report(report, publish::OutputFormat::markdown, publish::Color::never);
  });
  publish_dashboard(context, *dashboard,
                    {report.image, &report, baseline, &session->manifest, session->state.path()});
  return 0;
}

}  // namespace driftlock::cli
